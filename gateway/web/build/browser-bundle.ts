import type { BuildOptions } from "esbuild";

/**
 * What every browser app (the consoles, the workspace) is bundled as: one minified browser
 * script, React in production mode, kept in memory for the caller to write.
 */
export const BROWSER_BUNDLE = {
  write: false,
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"' },
} as const satisfies BuildOptions;
