import { createHash } from "node:crypto";
import type { Authority } from "../authz/ability.ts";
import type { SearchField } from "../authz/policy/types.ts";
import { type AccessChange, impact } from "./impact.ts";

const PURPOSE_WORDS: Record<string, string> = {
  outside: "outside an enquiry",
  inEnquiry: "in an enquiry",
  breakGlass: "with break glass",
};

/** One change in words: "health_safeguarding_nurse gains PoliceIncident.id in an enquiry (DENIED -> ALLOWED)". */
export function describeChange(c: AccessChange): string {
  const purpose = PURPOSE_WORDS[c.purpose] ?? c.purpose;
  const side = (access: string, condition: string | null) =>
    condition ? `${access} when ${condition}` : access;
  const verb =
    c.change === "GAIN" ? "gains" : c.change === "LOSS" ? "loses" : "has a changed condition on";
  return `${c.role} ${verb} ${c.field} ${purpose} (${side(c.before, c.beforeCondition)} -> ${side(c.after, c.afterCondition)})`;
}

/** What a search argument reads, without where it was written: equal means it matches the same. */
const searchShape = (s: SearchField | undefined) =>
  s &&
  JSON.stringify(
    s.arguments.map((a) => ({
      name: a.name,
      reads: a.reads.map((r) => `${r.type}.${r.fields.join(",")}`),
    })),
  );

/**
 * Everything a candidate gives any role beyond the policy in force, in words, first the most
 * telling. Fail closed: a changed condition counts (it may match records the old one did not),
 * and so does any change to what the agency's searches read, which the access impact does not
 * see. Empty only when every change takes access away or nothing changes.
 */
export function wideningOf(current: Authority, candidate: Authority, agency: string): string[] {
  const widening = impact(current, candidate, agency)
    .changes.filter((c) => c.change !== "LOSS")
    .sort((a, b) => Number(b.change === "GAIN") - Number(a.change === "GAIN"))
    .map(describeChange);
  const coordinates = new Set(
    [...current.policy.searches.values(), ...candidate.policy.searches.values()]
      .filter((s) => s.agency === agency)
      .map((s) => s.coordinate),
  );
  for (const coordinate of coordinates) {
    const before = searchShape(current.policy.searches.get(coordinate));
    const after = searchShape(candidate.policy.searches.get(coordinate));
    if (before !== after) widening.push(`what the arguments of ${coordinate} read changes`);
  }
  return widening;
}

/** A text's fingerprint, for "approved against this text in force". */
export const textHash = (text: string | undefined) =>
  createHash("sha256")
    .update(text ?? "")
    .digest("hex");
