import type { DevUser } from "@mash/kit";

/**
 * What `npm run --silent token -- ...` was asked for: a fixture user by name, or any identity
 * given by flags (for a foreign graph, whose roles and agencies are not our fixtures').
 */
export type TokenRequest =
  | { kind: "fixture"; username: string | undefined }
  | { kind: "identity"; sub: string; name: string | undefined; roles: string[]; agency: string };

/** A flag that cannot be used; the message names it. The CLI exits 2 with it. */
export class TokenArgsError extends Error {
  constructor(
    readonly flag: string,
    problem: string,
  ) {
    super(`${flag}: ${problem}`);
    this.name = "TokenArgsError";
  }
}

export const TOKEN_USAGE =
  "usage: npm run --silent token -- <username>\n" +
  "       npm run --silent token -- --sub <id> --roles <role,...> --agency <agency> [--name <name>]";

// The same pattern roles.yaml allows for role names: a role no policy could name grants nothing,
// so a typo is better refused here than met with a token that sees no field.
const ROLE = /^[a-z][a-z0-9_]*$/;
// Printable and short: the subject lands in logs and the access log as the user's id.
const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._@:+-]{0,127}$/;
const AGENCY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const FLAGS = ["--sub", "--roles", "--agency", "--name"] as const;
type Flag = (typeof FLAGS)[number];

export function parseTokenArgs(argv: readonly string[]): TokenRequest {
  const values = new Map<Flag, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(FLAGS as readonly string[]).includes(flag))
      throw new TokenArgsError(flag, `is not a flag of token (${FLAGS.join(", ")})`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value.trim() === "") throw new TokenArgsError(flag, "needs a value");
    if (values.has(flag as Flag)) throw new TokenArgsError(flag, "is given twice");
    values.set(flag as Flag, value.trim());
  }

  if (values.size === 0) {
    if (positionals.length > 1)
      throw new TokenArgsError("<username>", `one user only; got ${positionals.length}`);
    return { kind: "fixture", username: positionals[0] };
  }
  // A username beside flags is ambiguous: which identity did the caller mean?
  if (positionals.length > 0)
    throw new TokenArgsError(
      "<username>",
      `"${positionals[0]}" cannot be combined with --sub/--roles/--agency; give one or the other`,
    );

  const sub = values.get("--sub");
  if (sub === undefined) throw new TokenArgsError("--sub", "is required with --roles and --agency");
  if (!SUBJECT.test(sub))
    throw new TokenArgsError(
      "--sub",
      "must be 1-128 letters, digits or . _ @ : + - (starting with a letter or digit)",
    );

  const rawRoles = values.get("--roles");
  if (rawRoles === undefined)
    throw new TokenArgsError("--roles", "is required: comma-separated role names");
  const roles = rawRoles.split(",").map((r) => r.trim());
  const bad = roles.find((r) => !ROLE.test(r));
  if (bad !== undefined)
    throw new TokenArgsError(
      "--roles",
      bad === ""
        ? "has an empty role (comma-separated role names, such as social_worker,mash_manager)"
        : `"${bad}" is not a role name (lower-case letters, digits and _, starting with a letter)`,
    );

  const agency = values.get("--agency");
  if (agency === undefined) throw new TokenArgsError("--agency", "is required: the user's agency");
  if (!AGENCY.test(agency))
    throw new TokenArgsError(
      "--agency",
      `"${agency}" is not an agency name (letters, digits, _ -)`,
    );

  const name = values.get("--name");
  if (name !== undefined && (name.length > 200 || /\p{Cc}/u.test(name)))
    throw new TokenArgsError(
      "--name",
      "must be at most 200 characters, with no control characters",
    );

  return { kind: "identity", sub, name, roles: [...new Set(roles)], agency };
}

/** The user a token is signed for; without --name, the display name is the id. */
export function devUserOf(request: Extract<TokenRequest, { kind: "identity" }>): DevUser {
  return {
    username: request.sub,
    name: request.name ?? request.sub,
    agency: request.agency,
    roles: request.roles,
  };
}
