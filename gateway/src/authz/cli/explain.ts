import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadContextSigningKey } from "@mash/kit";
import { supergraphFile } from "../../compose/schema-files.ts";
import { graphsOfSupergraph } from "../../compose/supergraph-subgraphs.ts";
import { subgraphTlsFrom } from "../../transport/subgraph-tls-config.ts";
import { createSubgraphTransport } from "../../transport/subgraph-transport.ts";
import { commonOptions, loadForCommand, withUsage } from "./args.ts";
import { ExplainError } from "./explain-error.ts";
import { explainField } from "./explain-field.ts";

const USAGE =
  "npm run policies:explain -- --as <user> | --role <role> [--enquiry <id> [--subject <id>]] [--break-glass] <Type.field>";

/**
 * `npm run policies:explain`: which rule decides a field for a user and a purpose, and why
 * (explain-field.ts). With --enquiry it asks the running hub whether the enquiry is open and
 * links the subject; without a hub it says what it assumed.
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
const fail = (message: string): never => {
  process.stderr.write(`${message}\nUsage: ${USAGE}\n`);
  process.exit(2);
};
const coordinate =
  positionals[0] ?? fail("Name the field to explain, as Type.field (for example Subject.address).");
const [type, field] = coordinate.split(".");
if (!type || !field) fail(`"${coordinate}" is not Type.field.`);

/** The file is the one the gateway runs on: the committed one, or MASH_SUPERGRAPH_FILE. */
function deployedFile(given: string | undefined): boolean {
  if (given === undefined) return true;
  const deployed = process.env.MASH_SUPERGRAPH_FILE;
  return deployed !== undefined && deployed !== "" && resolve(given) === resolve(deployed);
}

const loaded = loadForCommand(values);
if (!loaded.authority || !loaded.policy) {
  process.stderr.write(
    `${loaded.print().join("\n")}\nThe policies do not load; fix them first (npm run policies:check).\n`,
  );
  process.exit(1);
}
try {
  const lines = await explainField({
    authority: loaded.authority,
    policy: loaded.policy,
    type: type as string,
    field: field as string,
    as: values.as,
    role: values.role,
    breakGlass: values["break-glass"] === true,
    enquiry: values.enquiry
      ? {
          enquiry: values.enquiry,
          subject: values.subject,
          hubUrl: values["hub-url"],
          subgraphUrls: process.env.MASH_SUBGRAPH_URLS,
          // The URLs a supergraph records are trusted only in the deployment's own file, the one
          // the gateway routes by: a context signed for the hub must not go where a candidate
          // file someone handed over says. (Read once more: loadForCommand has parsed it.)
          supergraphGraphs: deployedFile(values.supergraph)
            ? graphsOfSupergraph(readFileSync(values.supergraph ?? supergraphFile, "utf8"))
            : undefined,
          // As the gateway reaches the hub: its CA and client certificate, if configured.
          transport: createSubgraphTransport(subgraphTlsFrom(process.env)),
          contextSigningKey: () => loadContextSigningKey({ env: process.env, create: false }),
        }
      : undefined,
  });
  process.stdout.write(`${lines.join("\n")}\n`);
} catch (error) {
  if (!(error instanceof ExplainError)) throw error;
  fail(error.message);
}
