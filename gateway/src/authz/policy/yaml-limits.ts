import { type Document, isAlias, isCollection, isPair, isScalar, type LineCounter } from "yaml";
import type { PolicyProblem } from "./types.ts";

/**
 * What a policy text may cost to read. A shipped file is a few KB, a few hundred values and
 * six levels deep; the limits are far above any real agreement and far below what would tie up
 * a gateway. Officers save drafts and ask for their problems as they type, so a text must be
 * judged without ever being expanded: an alias bomb ("billion laughs") or a deeply nested text
 * is a problem with its line, not an exception or an out-of-memory crash.
 */
export const YAML_LIMITS = {
  /** UTF-8 bytes of one text. */
  maxBytes: 256 * 1024,
  /** Collections inside collections, aliases followed. */
  maxDepth: 32,
  /** `*name` references in one text. */
  maxAliases: 100,
  /** Values once every alias is expanded: more than any text within maxBytes holds without one. */
  maxValues: 200_000,
} as const;

type YamlNode = NonNullable<Document["contents"]>;

/** The problem with a text's size, before it is parsed at all; undefined when it is small enough. */
export function sizeProblem(file: string, text: string): PolicyProblem | undefined {
  // A character is at most 3 UTF-8 bytes (4 for a surrogate pair, which is 2 characters).
  if (text.length * 3 <= YAML_LIMITS.maxBytes) return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= YAML_LIMITS.maxBytes) return undefined;
  return {
    file,
    message: `is ${Math.ceil(bytes / 1024)} KB; a policy text may be at most ${YAML_LIMITS.maxBytes / 1024} KB`,
  };
}

interface Frame {
  node: YamlNode;
  depth: number;
  /** Set once the node's children are measured (the post-order visit). */
  exit: boolean;
}

/**
 * Measures a parsed document without expanding it: nesting depth and the number of values, each
 * alias counted as what it stands for. Iterative (no recursion), so depth cannot overflow the
 * stack; memoised per anchored node, so a bomb costs its size in text, not its expansion.
 * Returns the first problem, with the line of the node that crosses a limit.
 */
export function measureProblem(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
): PolicyProblem | undefined {
  const root = doc.contents;
  if (!root) return undefined;
  const lineOf = (node: YamlNode) =>
    node.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const at = (node: YamlNode, message: string): PolicyProblem => ({
    file,
    line: lineOf(node),
    message,
  });

  /** Per node: values under it (itself included) and levels below it, aliases expanded. */
  const size = new Map<YamlNode, { values: number; depth: number }>();
  const open = new Set<YamlNode>();
  const anchors = new Map<string, YamlNode>();
  let aliases = 0;
  // The values read so far in document order: where it passes the limit names the alias to blame.
  let running = 0;
  const stack: Frame[] = [{ node: root, depth: 1, exit: false }];

  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const { node, depth } = frame;
    if (frame.exit) {
      open.delete(node);
      let values = 1;
      let below = 0;
      for (const child of childrenOf(node)) {
        const measured = size.get(child);
        if (!measured) continue;
        values = Math.min(values + measured.values, YAML_LIMITS.maxValues + 1);
        below = Math.max(below, measured.depth);
      }
      size.set(node, { values, depth: below + 1 });
      continue;
    }
    if (isAlias(node)) {
      aliases += 1;
      if (aliases > YAML_LIMITS.maxAliases)
        return at(
          node,
          `has more than ${YAML_LIMITS.maxAliases} aliases (*name); a policy text needs none`,
        );
      const target = anchors.get(node.source);
      if (!target) return at(node, `alias *${node.source} has no anchor &${node.source} before it`);
      if (open.has(target)) return at(node, `alias *${node.source} is inside its own anchor`);
      const measured = size.get(target) ?? { values: 1, depth: 1 };
      running += measured.values;
      if (running > YAML_LIMITS.maxValues)
        return at(
          node,
          `expands to more than ${YAML_LIMITS.maxValues.toLocaleString("en-GB")} values through its aliases (an alias bomb?)`,
        );
      if (depth + measured.depth - 1 > YAML_LIMITS.maxDepth)
        return at(node, `nests deeper than ${YAML_LIMITS.maxDepth} levels through an alias`);
      size.set(node, measured);
      continue;
    }
    running += 1;
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isCollection(node)) {
      size.set(node, { values: 1, depth: isScalar(node) ? 0 : 1 });
      continue;
    }
    if (depth > YAML_LIMITS.maxDepth)
      return at(node, `nests deeper than ${YAML_LIMITS.maxDepth} levels`);
    open.add(node);
    stack.push({ node, depth, exit: true });
    // Pushed in reverse, so children are visited in document order (anchors before aliases).
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i] as YamlNode, depth: depth + 1, exit: false });
  }
  return undefined;
}

/** A collection's values: a sequence's items, a map's keys and values. */
function childrenOf(node: YamlNode): YamlNode[] {
  if (!isCollection(node)) return [];
  const out: YamlNode[] = [];
  for (const item of node.items) {
    if (isPair(item)) {
      if (item.key && typeof item.key === "object") out.push(item.key as YamlNode);
      if (item.value && typeof item.value === "object") out.push(item.value as YamlNode);
    } else if (item && typeof item === "object") out.push(item as YamlNode);
  }
  return out;
}
