import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDataDir } from "./data-dir.ts";

const dir = mkdtempSync(join(tmpdir(), "mash-data-dir-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the data directory", () => {
  it("is made when missing", () => {
    ensureDataDir(join(dir, "a", "b"));
    expect(statSync(join(dir, "a", "b")).isDirectory()).toBe(true);
  });

  it("is the owner's alone, and so is every file in it, however they were made", () => {
    const made = join(dir, "private", "data");
    ensureDataDir(made);
    expect(statSync(made).mode & 0o777).toBe(0o700);

    const old = join(dir, "old");
    mkdirSync(old, { mode: 0o755 });
    chmodSync(old, 0o755);
    const files = ["audit.sqlite", "audit.sqlite-wal", "gateway-context-key.json"];
    for (const name of files) writeFileSync(join(old, name), "x", { mode: 0o644 });
    ensureDataDir(old);
    expect(statSync(old).mode & 0o777).toBe(0o700);
    for (const name of files) expect(statSync(join(old, name)).mode & 0o777).toBe(0o600);
  });

  it("names MASH_DATA_DIR when it is a file or under one", () => {
    const file = join(dir, "file");
    writeFileSync(file, "");
    expect(() => ensureDataDir(file)).toThrow(/^MASH_DATA_DIR: .*file is a file, not a directory$/);
    expect(() => ensureDataDir(join(file, "sub"))).toThrow(
      /^MASH_DATA_DIR: .* cannot be made \(ENOTDIR\)$/,
    );
  });

  // Root may write anywhere, so as root the check runs in a child process that is root without
  // the capability to override file modes (setpriv, util-linux). Still root, it reads the
  // checkout wherever it is (a clone under a 0700 mktemp directory included, which a child run
  // as nobody could not).
  it("names MASH_DATA_DIR when it is not writable", () => {
    const locked = join(dir, "locked");
    ensureDataDir(locked);
    chmodSync(dir, 0o755);
    chmodSync(locked, 0o555);
    try {
      if (process.getuid?.() !== 0) {
        expect(() => ensureDataDir(locked)).toThrow(/^MASH_DATA_DIR: .* is not writable/);
        return;
      }
      const module = fileURLToPath(new URL("./data-dir.ts", import.meta.url));
      const child = spawnSync(
        "setpriv",
        [
          "--bounding-set",
          "-dac_override,-dac_read_search",
          process.execPath,
          "--import",
          "tsx",
          "-e",
          `import(${JSON.stringify(module)}).then((m) => m.ensureDataDir(${JSON.stringify(locked)})).catch((e) => { process.stderr.write(e.message); process.exit(3); })`,
        ],
        {
          encoding: "utf8",
          cwd: fileURLToPath(new URL("..", import.meta.url)),
        },
      );
      expect(child.stderr).toMatch(/^MASH_DATA_DIR: .* is not writable/);
      expect(child.status).toBe(3);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});
