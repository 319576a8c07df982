import { readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The gateway's own code under `dir`: every .ts and .tsx file but tests and their shared set-up
 * (`*.test.ts`, `*.test-support.ts`), for the tests that read the code itself (boundaries, the
 * error catalogue, the engine that knows no names).
 */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : /\.tsx?$/.test(d.name) && !/\.test(-support)?\.tsx?$/.test(d.name)
        ? [join(dir, d.name)]
        : [],
  );
}
