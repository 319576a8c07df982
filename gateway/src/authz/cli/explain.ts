import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadContextSigningKey } from "@mash/kit";
import { supergraphFile } from "../../compose/schema-files.ts";
import { graphsOfSupergraph } from "../../compose/supergraph-subgraphs.ts";
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
          // Read once more: loadForCommand has already read and parsed it without complaint.
          supergraphGraphs: graphsOfSupergraph(
            readFileSync(values.supergraph ?? supergraphFile, "utf8"),
          ),
          contextSigningKey: () => loadContextSigningKey({ env: process.env, create: false }),
        }
      : undefined,
  });
  process.stdout.write(`${lines.join("\n")}\n`);
} catch (error) {
  if (!(error instanceof ExplainError)) throw error;
  fail(error.message);
}
