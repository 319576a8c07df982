import type { AgencyContact } from "./types.ts";

/** roles.yaml's `contact` of an agency, as its JSON Schema has already checked it. */
export interface RawContact {
  name: string;
  phone?: string;
  email?: string;
}

/**
 * One frozen contact per agency, shared by every error that names it: a withheld field's error
 * costs no more for carrying it, and says the same whatever the withheld value was.
 */
export function contactOf(agency: string, raw: RawContact | undefined): AgencyContact | undefined {
  if (!raw) return undefined;
  const { name, phone, email } = raw;
  return Object.freeze({
    agency,
    name: name.trim(),
    ...(phone !== undefined ? { phone } : {}),
    ...(email !== undefined ? { email } : {}),
  });
}
