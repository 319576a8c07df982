import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const packageTypes = new Map<string, string | undefined>();

/** The `type` of the package.json nearest above `dir`, as Node reads it for a `.js` file. */
function packageType(dir: string): string | undefined {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  let type: string | undefined;
  try {
    type =
      (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string }).type ??
      "commonjs";
  } catch {
    const parent = dirname(dir);
    type = parent === dir ? undefined : packageType(parent);
  }
  packageTypes.set(dir, type);
  return type;
}

/** Whether Node runs the file as CommonJS (`.cjs`, or `.js` in a package not of type module). */
export function isCommonJs(file: string): boolean {
  if (file.endsWith(".cjs")) return true;
  if (!file.endsWith(".js")) return false;
  return packageType(dirname(file)) !== "module";
}
