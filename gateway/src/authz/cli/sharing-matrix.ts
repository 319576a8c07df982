import type { Authority } from "../ability.ts";
import type { PolicySet } from "../policy/types.ts";
import { describeConditions, describeContact, type Verdict, verdictFor } from "../verdict.ts";

const describe = (v: Verdict): string | undefined => {
  const parts = v.branches
    .filter((b) => b.allowed)
    .map((b) => `if ${describeConditions(b.conditions)}`);
  const denied = v.branches
    .filter((b) => !b.allowed)
    .map((b) => `not if ${describeConditions(b.conditions)}`);
  if (v.otherwise.allowed) return denied.length ? `yes, ${denied.join(", ")}` : "yes";
  return parts.length ? parts.join(" or ") : undefined;
};

function cell(authority: Authority, roles: string[], type: string, field: string): string {
  const steps: [string, { inEnquiry: boolean; breakGlass: boolean }][] = [
    ["", { inEnquiry: false, breakGlass: false }],
    ["enquiry", { inEnquiry: true, breakGlass: false }],
    ["break glass", { inEnquiry: true, breakGlass: true }],
  ];
  const said: string[] = [];
  let previous: string | undefined;
  for (const [label, ctx] of steps) {
    const text = describe(verdictFor(authority, { roles, ...ctx }, type, field));
    if (text && text !== previous)
      said.push(label ? `${label}: ${text}` : text === "yes" ? "always" : text);
    previous = text;
  }
  return said.length ? said.join("; ") : "—";
}

/**
 * Roles x fields as Markdown lines, one table per owning agency (only `agency`'s when given), for
 * review: what each role sees always, in an enquiry, on conditions, or never.
 */
export function sharingMatrix(
  authority: Authority,
  policy: PolicySet,
  options: { agency?: string | undefined } = {},
): string[] {
  const roles = [...policy.roles.keys()];
  const out: string[] = [`# Sharing matrix (policy ${policy.version})`, ""];
  out.push(
    "Cells: *always*; *enquiry* = only when the request states an open enquiry that links the person;",
  );
  out.push(
    "*break glass* = with a written break-glass reason; conditions are on the record itself; — = never.",
    "",
  );
  for (const agency of policy.agencies.values()) {
    if (options.agency && agency.name !== options.agency) continue;
    const fields = [...policy.owners].filter(([, owner]) => owner === agency.name).map(([c]) => c);
    if (!fields.length) continue;
    out.push(
      `## ${agency.name} (${agency.title})`,
      "",
      `Withheld fields name: ${agency.contact ? describeContact(agency.contact) : "no contact point (roles.yaml names none)"}.`,
      "",
      `| field | ${roles.join(" | ")} |`,
      `|---|${roles.map(() => "---").join("|")}|`,
    );
    for (const coordinate of fields) {
      const [type, field] = coordinate.split(".") as [string, string];
      out.push(
        `| ${coordinate} | ${roles.map((r) => cell(authority, [r], type, field)).join(" | ")} |`,
      );
    }
    out.push("");
  }
  return out;
}
