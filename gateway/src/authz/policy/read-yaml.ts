import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import type { PolicyProblem } from "./types.ts";

/** A YAML file with what is needed to point a problem at its line. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** The 1-based line of the node at a path (["rules", 3, "roles"]), or of the nearest parent. */
  lineOf(path: (string | number)[]): number | undefined;
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
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      problems.push({
        file,
        line: e.linePos?.[0]?.line,
        message: `is not valid YAML: ${e.message.split("\n")[0]}`,
      });
    }
    return undefined;
  }
  return {
    file,
    value: doc.toJS(),
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}
