import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { supergraphFile } from "../../compose/schema-files.ts";
import { commonOptions, loadForCommand, withUsage } from "./args.ts";
import { NotASupergraphError, roleSchemaSdl } from "./role-schema-sdl.ts";

const USAGE =
  "npm run schema -- --roles <role>[,<role>...] [--dir policies] [--supergraph gateway/supergraph.graphql]";

/**
 * `npm run schema -- --roles social_worker`: the SDL of a role set's schema (what introspection
 * shows it on /graphql), from the policies and the committed supergraph, for frontends to build
 * against.
 */
const { values } = withUsage(USAGE, () =>
  parseArgs({ options: { ...commonOptions, roles: { type: "string" } } }),
);
const fail = (message: string): never => {
  process.stderr.write(`${message}\nUsage: ${USAGE}\n`);
  process.exit(2);
};
const roles = [
  ...new Set(
    (values.roles ?? "")
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean),
  ),
];
if (roles.length === 0) fail("Name the roles: --roles <role>[,<role>...] (roles.yaml's names).");

const loaded = loadForCommand(values);
if (!loaded.authority || !loaded.policy) {
  process.stderr.write(
    `${loaded.print().join("\n")}\nThe policies do not load; fix them first (npm run policies:check).\n`,
  );
  process.exit(1);
}
const { authority, policy } = loaded;
const unknown = roles.filter((r) => !policy.roles.has(r));
if (unknown.length > 0)
  fail(
    `No role${unknown.length > 1 ? "s" : ""} ${unknown.map((r) => `"${r}"`).join(", ")} in roles.yaml; its roles are ${[...policy.roles.keys()].join(", ")}.`,
  );

// loadForCommand has read this file already, or exited saying why it could not.
const sdlFile = values.supergraph ?? supergraphFile;
const notSupergraph = (error: unknown) =>
  fail(`${sdlFile} is not a supergraph: ${(error as Error).message}`);
let supergraphSdl = "";
try {
  supergraphSdl = readFileSync(sdlFile, "utf8");
} catch (error) {
  notSupergraph(error);
}
try {
  process.stdout.write(roleSchemaSdl({ authority, roles, supergraphSdl }));
} catch (error) {
  if (!(error instanceof NotASupergraphError)) throw error;
  notSupergraph(error);
}
