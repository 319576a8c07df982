import type { GraphQLFormattedError } from "graphql";

/** The code of a field the sharing rules withheld from this requester. */
export const WITHHELD = "UNAUTHORIZED_FIELD_OR_TYPE";
/** The code of a part missing because its agency did not answer (not withheld). */
export const AGENCY_UNAVAILABLE = "AGENCY_UNAVAILABLE";

export type PathSegment = string | number;

/** A field that came back `null` because a sharing rule withheld it. */
export interface WithheldField {
  /** Dotted, list positions as numbers: `subject.health.mentalHealth.service`. */
  path: string;
  segments: readonly PathSegment[];
  /** The deciding rule's id, or `default-deny`. */
  rule: string;
  /** A sentence for the practitioner: why, and whom to ask. */
  reason: string;
  /** The agency that owns the data. */
  owner: string;
  /** Whom to ask: the owning agency's named contact point, when its roles.yaml names one. */
  contact: ContactPoint | undefined;
}

/** An agency's named contact point, as a withheld field's error carries it (`extensions.contact`). */
export interface ContactPoint {
  agency: string;
  name: string;
  phone?: string;
  email?: string;
}

/** A part of the answer missing because an agency is down or slow. */
export interface UnavailableAgency {
  agency: string;
  /** Where its part is missing; undefined when the gateway could not place it. */
  path: string | undefined;
  message: string;
}

/** `["subject", "police", "incidents", 0, "summary"]` as `subject.police.incidents.0.summary`. */
export const pathOf = (segments: readonly PathSegment[]): string => segments.join(".");

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

/** The contact an error names, or undefined when it names none (or not in the contract's shape). */
function contactOf(value: unknown): ContactPoint | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const c = value as Record<string, unknown>;
  const agency = text(c.agency);
  const name = text(c.name);
  if (agency === undefined || name === undefined) return undefined;
  const phone = text(c.phone);
  const email = text(c.email);
  return {
    agency,
    name,
    ...(phone !== undefined ? { phone } : {}),
    ...(email !== undefined ? { email } : {}),
  };
}

/** Every withheld field of an answer, in the order the gateway reported them. */
export function withheldFields(
  errors: readonly GraphQLFormattedError[] | undefined,
): WithheldField[] {
  return (errors ?? []).flatMap((error) => {
    const ext = error.extensions ?? {};
    if (ext.code !== WITHHELD) return [];
    const segments = error.path ?? [];
    return [
      {
        path: pathOf(segments),
        segments,
        rule: text(ext.rule) ?? "default-deny",
        reason: text(ext.reason) ?? error.message,
        owner: text(ext.owner) ?? "",
        contact: contactOf(ext.contact),
      },
    ];
  });
}

/** The agencies whose part of an answer is missing, each where it is missing. */
export function unavailableAgencies(
  errors: readonly GraphQLFormattedError[] | undefined,
): UnavailableAgency[] {
  return (errors ?? []).flatMap((error) => {
    const ext = error.extensions ?? {};
    if (ext.code !== AGENCY_UNAVAILABLE) return [];
    // Placed at a path, the gateway names the agency; unplaced, the subgraph it could not reach.
    const agency = text(ext.agency) ?? text(ext.subgraph) ?? "";
    return [{ agency, path: error.path ? pathOf(error.path) : undefined, message: error.message }];
  });
}

const segmentsOf = (path: string | readonly PathSegment[]): string[] =>
  (typeof path === "string" ? path.split(".") : path).map(String);

/**
 * Whether the value at `path` is `null` because of the sharing rules: that field was withheld,
 * or a field it sits in was. (A withheld non-null field nulls its parent too; the error then
 * names the child, which `withheldFields` lists.)
 */
export function isWithheld(
  errors: readonly GraphQLFormattedError[] | undefined,
  path: string | readonly PathSegment[],
): boolean {
  const wanted = segmentsOf(path);
  return withheldFields(errors).some(
    (field) =>
      field.segments.length <= wanted.length &&
      field.segments.every((segment, i) => String(segment) === wanted[i]),
  );
}
