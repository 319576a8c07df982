import { describe, expect, it } from "vitest";
import { SEMI_SPACE_MB, serverNodeFlags } from "../../scripts/node-flags.ts";

describe("the Node flags npm start runs its servers with", () => {
  it("size V8's young generation for a server", () => {
    expect(serverNodeFlags({})).toEqual([`--max-semi-space-size=${SEMI_SPACE_MB}`]);
    expect(serverNodeFlags({ NODE_OPTIONS: "--enable-source-maps" })).toEqual([
      `--max-semi-space-size=${SEMI_SPACE_MB}`,
    ]);
    // A flag that only begins the same way is another setting.
    expect(serverNodeFlags({ NODE_OPTIONS: "--max-semi-space-size-x=4" })).toHaveLength(1);
  });

  it("leave the setting to NODE_OPTIONS when the operator chose it there", () => {
    for (const options of [
      "--max-semi-space-size=64",
      "--enable-source-maps --max-semi-space-size=8",
      "--max-semi-space-size 8",
      "--max_semi_space_size=8",
    ])
      expect(serverNodeFlags({ NODE_OPTIONS: options }), options).toEqual([]);
  });
});
