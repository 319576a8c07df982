import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "./open-store.ts";
import { privateDir } from "./private-files.ts";

const root = mkdtempSync(join(tmpdir(), "mash-private-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mode = (path: string) => statSync(path).mode & 0o777;

describe("store files", () => {
  it("are the owner's alone: the database, its -wal and -shm, in a directory made 0700", async () => {
    const dir = join(root, "made", "data");
    const file = join(dir, "police.sqlite");
    const store = await openStore({
      agency: "police",
      config: { kind: "sqlite", file },
      migrations: {},
    });
    try {
      await sql`create table t (x integer)`.execute(store.db);
      await sql`insert into t values (1)`.execute(store.db);
      expect(mode(dir)).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(path)).toBe(true);
        expect(mode(path)).toBe(0o600);
      }
    } finally {
      await store.close();
    }
  });

  it("made before this was so are restricted when next opened", async () => {
    const file = join(root, "audit.sqlite");
    const first = await openStore({
      agency: "audit",
      config: { kind: "sqlite", file },
      migrations: {},
    });
    await first.close();
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, "");
    chmodSync(`${file}-wal`, 0o644);
    const again = await openStore({
      agency: "audit",
      config: { kind: "sqlite", file },
      migrations: {},
    });
    await again.close();
    expect(mode(file)).toBe(0o600);
  });

  it("sit in a data directory taken back from other users", () => {
    const dir = join(root, "open");
    privateDir(dir);
    chmodSync(dir, 0o755);
    privateDir(dir);
    expect(mode(dir)).toBe(0o700);
  });
});
