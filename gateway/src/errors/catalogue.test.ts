import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "../source-files.test-support.ts";
import {
  ERROR_CODES,
  GatewayError,
  isErrorCode,
  RequestRefused,
  shownToClients,
} from "./catalogue.ts";

const src = fileURLToPath(new URL("..", import.meta.url));

describe("the error catalogue", () => {
  it("holds every code the gateway answers with (a code missing from it is masked as a fault)", () => {
    const used = new Set<string>();
    for (const file of sourceFiles(src)) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bcode: "([A-Z][A-Z_]+)"/g))
        used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(10);
    // SQLite's own codes (SQLITE_BUSY, ...) are the database's, matched on to retry, never
    // answered: the access log fails closed with AUDIT_UNAVAILABLE.
    const ours = [...used].filter((code) => !code.startsWith("SQLITE_"));
    expect(ours.filter((code) => !isErrorCode(code))).toEqual([]);
  });

  it("gives each refusal its status, name and a GraphQL-shaped body", () => {
    const refused = new RequestRefused("RATE_LIMITED", "Too many requests.", {
      "retry-after": "3",
    });
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused.name).toBe("RequestRefused");
    expect(refused.status).toBe(429);
    expect(refused.body()).toEqual({
      errors: [{ message: "Too many requests.", extensions: { code: "RATE_LIMITED" } }],
    });
  });

  it("masks what was not written for clients", () => {
    expect(shownToClients("BAD_USER_INPUT")).toBe(true);
    expect(shownToClients("INTERNAL_SERVER_ERROR")).toBe(false);
    expect(shownToClients("SOMETHING_ELSE")).toBe(false);
    expect(shownToClients(undefined)).toBe(false);
    expect(Object.values(ERROR_CODES).every((c) => c.status >= 200 && c.status < 600)).toBe(true);
  });
});
