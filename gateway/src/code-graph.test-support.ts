import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, for paths in messages. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Folders that are not our code: installed, built or generated. */
const NOT_OURS = new Set(["node_modules", "dist", "generated", ".turbo"]);

/**
 * Every .ts, .tsx and .mjs file under `dir` (repository-relative), tests and test set-up
 * included: the boundary tests sort files by what they are, so none is missed by its name.
 */
export function codeFiles(dir: string): string[] {
  const at = join(repoRoot, dir);
  if (!existsSync(at)) return [];
  return readdirSync(at, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? NOT_OURS.has(d.name)
        ? []
        : codeFiles(join(dir, d.name))
      : /\.(tsx?|mjs)$/.test(d.name) && !d.name.endsWith(".d.ts")
        ? [join(dir, d.name)]
        : [],
  );
}

/** A test, or what only tests use: their shared set-up, fixtures, benchmarks, test helpers. */
export const isTestCode = (file: string) =>
  /\.test(-support)?\.tsx?$|\.typecheck\.ts$/.test(file) ||
  /(^|\/)(test|testing|bench|topology|conformance)\//.test(file);

/**
 * Every relative import of a file, type-only ones and `export ... from` and `import()` included,
 * as repository-relative paths: what a circle or a forbidden dependency is made of.
 */
export function relativeImportsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  const specifiers = [
    ...text.matchAll(/(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']/g),
    ...text.matchAll(/import\(\s*["'](\.[^"']+)["']\s*\)/g),
  ].map((m) => m[1] as string);
  return specifiers.map((s) => relative(repoRoot, resolve(dirname(join(repoRoot, file)), s)));
}

/** Circles of imports between the files given (each circle once, as the path that closes it). */
export function importCircles(
  files: readonly string[],
  importsOf: (file: string) => readonly string[] = relativeImportsOf,
): string[][] {
  const known = new Set(files);
  const edges = new Map(files.map((f) => [f, importsOf(f).filter((t) => known.has(t))]));
  // Tarjan's strongly connected components: any with two or more files holds a circle.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return circles;
}
