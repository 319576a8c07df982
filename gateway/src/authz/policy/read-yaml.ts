import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import type { PolicyProblem } from "./types.ts";
import { measureProblem, sizeProblem, YAML_LIMITS } from "./yaml-limits.ts";

export { YAML_LIMITS } from "./yaml-limits.ts";

/** A YAML file with what is needed to point a problem at its line. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** The 1-based line of the node at a path (["rules", 3, "roles"]), or of the nearest parent. */
  lineOf(path: (string | number)[]): number | undefined;
  /** The line of a map entry's key (`Query.searchSubjects:`), where its value starts below it. */
  keyLineOf(path: (string | number)[]): number | undefined;
}

export function readYaml(path: string, problems: PolicyProblem[]): YamlFile | undefined {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
    return undefined;
  }
  return parseYamlText(file, text, problems);
}

export function parseYamlText(
  file: string,
  text: string,
  problems: PolicyProblem[],
): YamlFile | undefined {
  // Limits first: a text that could tie up the gateway is a problem, never parsed or expanded.
  const tooBig = sizeProblem(file, text);
  if (tooBig) {
    problems.push(tooBig);
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      problems.push({
        file,
        line: e.linePos?.[0]?.line,
        // The composer catches its own stack overflow on very deep nesting and says so.
        message:
          e.code === "RESOURCE_EXHAUSTION"
            ? `nests deeper than ${YAML_LIMITS.maxDepth} levels`
            : `is not valid YAML: ${e.message.split("\n")[0]}`,
      });
    }
    return undefined;
  }
  const measured = measureProblem(file, doc, lineCounter);
  if (measured) {
    problems.push(measured);
    return undefined;
  }
  let value: unknown;
  try {
    // measureProblem bounded every alias's expansion; yaml's own count is a second guard.
    value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxValues });
  } catch (error) {
    problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
    return undefined;
  }
  const lineOf = (path: (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return {
    file,
    value,
    lineOf,
    keyLineOf(path) {
      const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
      const last = path[path.length - 1];
      const pair = isMap(parent)
        ? parent.items.find((p) => isScalar(p.key) && p.key.value === last)
        : undefined;
      const key = pair?.key;
      if (isScalar(key) && key.range) return lineCounter.linePos(key.range[0]).line;
      return lineOf(path);
    },
  };
}
