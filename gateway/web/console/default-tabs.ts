import type { GraphiQLProps } from "graphiql";
import { EXAMPLES, suggestedSignIn, TAB_ORDER } from "./examples.ts";
import { returnedBy, stepsNamedIn } from "./returned-ids.ts";

type TabDefinition = NonNullable<GraphiQLProps["defaultTabs"]>[number];

function rank(name: string): number {
  const index = TAB_ORDER.indexOf(name);
  return index === -1 ? TAB_ORDER.length : index;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** Words wrapped into `#` comment lines of at most `width` characters: GraphiQL does not wrap. */
function commentLines(text: string, width = 72): string[] {
  const lines: string[] = [];
  let line = "#";
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > width && line !== "#") {
      lines.push(line);
      line = "#";
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/**
 * The console's own lines above a contract operation: how to run its example here. The
 * operation's text below them is the contract's, untouched.
 */
export function tabHeader(name: string): string {
  const example = EXAMPLES[name];
  if (!example) return "";
  const { user, enquiry } = suggestedSignIn(name);
  const steps = stepsNamedIn(example.variables);
  const words = [
    `Sign in as ${user}${enquiry ? `, pick Enquiry ${enquiry}` : ""}; Ctrl-Enter runs it.`,
    ...steps.map(
      (step) =>
        `"${returnedBy(step)}" is sent as the id the ${step} tab last returned here: run that tab first.`,
    ),
    ...(example.again ? [example.again] : []),
  ];
  return `${words.flatMap((text) => commentLines(text)).join("\n")}\n`;
}

/** One tab per operation; operations added to the contract later still get a tab, just last. */
export function buildDefaultTabs(
  operations: ReadonlyArray<{ readonly name: string; readonly document: string }>,
): TabDefinition[] {
  return [...operations]
    .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1))
    .map(({ name, document }) => {
      const example = EXAMPLES[name];
      return {
        query: `${tabHeader(name)}${document}`,
        variables: example?.variables ? pretty(example.variables) : null,
        headers: null,
      };
    });
}
