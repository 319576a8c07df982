import { describe, expect, it } from "vitest";
import { createLogger, type LogLevel } from "./logger.ts";

const capture = (level: LogLevel) => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("unit", level, {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, lines };
};

describe("createLogger", () => {
  it("writes one JSON object per event with time, level name, logger name, message and fields", () => {
    const { logger, lines } = capture("info");
    logger.info("graphql request", { rid: "r-1", status: 200 });
    expect(lines).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        level: "info",
        name: "unit",
        msg: "graphql request",
        rid: "r-1",
        status: 200,
      },
    ]);
  });

  it("honours the level, silent included", () => {
    const warn = capture("warn");
    warn.logger.info("no");
    warn.logger.debug("no");
    warn.logger.warn("yes");
    warn.logger.error("yes");
    expect(warn.lines.map((l) => l.level)).toEqual(["warn", "error"]);
    const silent = capture("silent");
    silent.logger.error("no");
    expect(silent.lines).toEqual([]);
  });

  it("falls back to info for a level it does not know", () => {
    const { logger, lines } = capture("verbose" as LogLevel);
    logger.debug("no");
    logger.info("yes");
    expect(lines.map((l) => l.msg)).toEqual(["yes"]);
  });

  it("redacts credentials passed by mistake, at the top level and one level down", () => {
    const { logger, lines } = capture("debug");
    logger.warn("careless", {
      authorization: "Bearer secret-1",
      token: "secret-2",
      "x-mash-context": "secret-3",
      headers: { authorization: "Bearer secret-4", "x-mash-context": "secret-5" },
      request: { token: "secret-6" },
    });
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
    expect(lines[0]?.headers).toEqual({
      authorization: "[redacted]",
      "x-mash-context": "[redacted]",
    });
  });
});
