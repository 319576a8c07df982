import { badUserInput } from "@mash/kit";

const MAX_REASON = 2000;

/**
 * A reason of substance, trimmed: refused (naming `field`) when empty, shorter than `min`
 * characters (the hub's configured minimum, where a reason must say why), or too long.
 */
export function requireReason(reason: string, field: string, min = 1): string {
  const trimmed = reason.trim();
  if (!trimmed)
    throw badUserInput(`${field} is empty: record why, in words a reviewer can follow.`, field);
  if (trimmed.length < min) {
    throw badUserInput(
      `${field} has ${trimmed.length} characters; a reason of substance has at least ${min}: say why, in words a reviewer can follow.`,
      field,
    );
  }
  if (trimmed.length > MAX_REASON) {
    throw badUserInput(`${field} is longer than ${MAX_REASON} characters.`, field);
  }
  return trimmed;
}
