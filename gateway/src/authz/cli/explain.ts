import { parseArgs } from "node:util";
import { GATEWAY_SUBJECT, loadContextSigningKey, signContext } from "@mash/kit";
import { defaultSubgraphs, parseSubgraphUrls } from "../../config.ts";
import { devUsers } from "../../identity/dev-tokens.ts";
import type { StatedEnquiry } from "../judge.ts";
import { createPurposeResolver, PurposeError } from "../purpose.ts";
import { describeConditions, describeContact, verdictFor } from "../verdict.ts";
import { onlyForOthers } from "../who-may.ts";
import { commonOptions, loadForCommand, withUsage } from "./args.ts";

const USAGE =
  "npm run policies:explain -- --as <user> | --role <role> [--enquiry <id> [--subject <id>]] [--break-glass] <Type.field>";

/**
 * Says which rule decides a field for a user and a purpose, and why: the rules that could apply,
 * in the order they are tried, and the verdict. With --enquiry it asks the running hub whether
 * the enquiry is open and links the subject; without a hub it says what it assumed.
 */
const { values, positionals } = withUsage(USAGE, () =>
  parseArgs({
    allowPositionals: true,
    options: {
      ...commonOptions,
      as: { type: "string" },
      role: { type: "string" },
      enquiry: { type: "string" },
      subject: { type: "string" },
      "break-glass": { type: "boolean" },
      "hub-url": { type: "string" },
    },
  }),
);
/** The subgraph's URL as the gateway would have it; a bad MASH_SUBGRAPH_URLS is said as such. */
function subgraphUrl(name: string): string | undefined {
  try {
    const raw = process.env.MASH_SUBGRAPH_URLS;
    return (raw ? parseSubgraphUrls(raw) : defaultSubgraphs).find((s) => s.name === name)?.url;
  } catch (error) {
    return fail((error as Error).message);
  }
}

const fail = (message: string): never => {
  process.stderr.write(`${message}\nUsage: ${USAGE}\n`);
  process.exit(2);
};
const coordinate =
  positionals[0] ?? fail("Name the field to explain, as Type.field (for example Subject.address).");
const [type, field] = coordinate.split(".");
if (!type || !field) fail(`"${coordinate}" is not Type.field.`);

const loaded = loadForCommand(values);
if (!loaded.authority || !loaded.policy) {
  process.stderr.write(
    `${loaded.print().join("\n")}\nThe policies do not load; fix them first (npm run policies:check).\n`,
  );
  process.exit(1);
}
const { authority, policy } = loaded;
if (!policy.owners.has(`${type}.${field}`)) fail(`${coordinate} is not a field of the supergraph.`);

let roles: string[];
let agency: string | undefined;
let who = "";
if (values.as) {
  const user =
    devUsers().find((u) => u.username === values.as) ?? fail(`No development user "${values.as}".`);
  roles = user.roles;
  agency = user.agency;
  who = `${user.username} (${user.name}; ${roles.join(", ")})`;
} else if (values.role) {
  if (!policy.roles.has(values.role)) fail(`No role "${values.role}" in roles.yaml.`);
  roles = [values.role];
  agency = policy.roles.get(values.role)?.agency;
  who = `role ${values.role}`;
} else {
  roles = fail("Say who: --as <user> or --role <role>.");
}

let inEnquiry = false;
let purpose = "no enquiry stated";
if (values.enquiry) {
  // Where the gateway would ask: MASH_SUBGRAPH_URLS or the defaults, read by the gateway's parser.
  const hubSubgraphName = policy.agencies.get(policy.hub)?.subgraphs[0] ?? policy.hub;
  const hubUrl =
    values["hub-url"] ??
    subgraphUrl(hubSubgraphName) ??
    fail(`No URL for the hub's subgraph "${hubSubgraphName}": give --hub-url.`);
  // The hub answers only contexts the gateway signs: use the gateway's key if this machine has it,
  // but never mint one (without it the hub refuses, and explain says what it assumed).
  const key = await loadContextSigningKey({ env: process.env, create: false });
  const hubSubgraph = hubSubgraphName;
  let enquiry: StatedEnquiry | undefined;
  try {
    enquiry = await createPurposeResolver({
      hubUrl,
      timeoutMs: 1500,
      signContext: key
        ? (rid, body) =>
            signContext(key.value, hubSubgraph, { sub: GATEWAY_SUBJECT, roles: [], rid }, body)
        : undefined,
    })(values.enquiry);
  } catch (error) {
    if (!(error instanceof PurposeError) || error.status === 400) fail((error as Error).message);
    purpose = `${values.enquiry} (hub not reachable at ${hubUrl}: assumed open and linking the person)`;
    inEnquiry = true;
  }
  if (enquiry) {
    const linked = values.subject ? enquiry.subjects.has(values.subject) : true;
    const part = agency !== undefined && enquiry.participants.has(agency);
    inEnquiry = enquiry.open && linked && part;
    purpose = `${enquiry.id}, ${enquiry.open ? "open" : "closed"}${values.subject ? `, ${linked ? "links" : "does not link"} ${values.subject}` : " (assuming it links the person)"}, ${agency ?? "no agency"} ${part ? "takes part" : "takes no part"}`;
  }
}
const breakGlass = values["break-glass"] === true && authority.mayBreakGlass(roles);
const verdict = verdictFor(
  authority,
  { roles, inEnquiry, breakGlass },
  type as string,
  field as string,
);
const owner = policy.owners.get(`${type}.${field}`) as string;
// The contact a withheld error of this field names (roles.yaml's), whatever decided it.
const contact = policy.agencies.get(owner)?.contact;

const lines = [
  `${coordinate} (owned by ${owner}) for ${who}`,
  `Contact point: ${contact ? describeContact(contact) : `none (roles.yaml names no contact for ${owner})`}`,
  `Purpose: ${purpose}${values["break-glass"] ? (breakGlass ? "; breaking the glass" : "; break-glass asked, but these roles may not break the glass") : ""}`,
  "",
  "Rules tried in order; the first whose condition holds decides:",
];
for (const b of verdict.branches) {
  lines.push(
    `  if ${describeConditions(b.conditions)}: ${b.allowed ? "VISIBLE" : "WITHHELD"} by rule ${b.rule.id} (${b.rule.file}:${b.rule.line})`,
  );
  if (!b.allowed && b.rule.reason) lines.push(`      reason: ${b.rule.reason}`);
}
const o = verdict.otherwise;
const prefix = verdict.branches.length ? "  otherwise: " : "  ";
if (o.rule) {
  lines.push(
    `${prefix}${o.allowed ? "VISIBLE" : "WITHHELD"} by rule ${o.rule.id} (${o.rule.file}:${o.rule.line}): ${o.rule.description}`,
  );
  if (!o.allowed && o.rule.reason) lines.push(`      reason: ${o.rule.reason}`);
  lines.push(`      legal basis: ${o.rule.legalBasis}`);
} else {
  lines.push(
    `${prefix}WITHHELD by default-deny: no rule gives these roles this field in this context.`,
  );
  // As a practitioner refused it is told: the roles the agreement does give the field to.
  const others = onlyForOthers(authority, roles, type as string, field as string);
  if (others) lines.push(`      reason: ${others}`);
}
process.stdout.write(`${lines.join("\n")}\n`);
