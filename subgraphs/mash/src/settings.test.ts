import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@mash/kit";
import { afterAll, describe, expect, it } from "vitest";
import { dueBy } from "./enquiries.ts";
import { loadSettings } from "./settings.ts";
import { dueAt } from "./timescales.ts";

const dir = mkdtempSync(join(tmpdir(), "mash-timescales-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** Writes `text` to a fresh temp file and returns its path. */
function file(text: string, ext = "yaml"): string {
  const path = join(dir, `timescales-${++files}.${ext}`);
  writeFileSync(path, text);
  return path;
}
const withFile = (text: string, ext?: string) =>
  loadSettings({ MASH_TIMESCALES_FILE: file(text, ext) });

describe("RAG timescales", () => {
  it("default to 4, 24 and 72 hours", () => {
    expect(loadSettings({}).ragHours).toEqual({ RED: 4, AMBER: 24, GREEN: 72 });
  });
  it("come from MASH_RAG_HOURS", () => {
    const settings = loadSettings({ MASH_RAG_HOURS: "red=2, AMBER=6,GREEN=24" });
    expect(settings.ragHours).toEqual({ RED: 2, AMBER: 6, GREEN: 24 });
    expect(dueBy(new Date("2026-11-20T09:15:00Z"), "RED", settings)).toBe("2026-11-20T11:15:00Z");
  });
  it("refuse a setting they cannot read, naming it", () => {
    expect(() => loadSettings({ MASH_RAG_HOURS: "PURPLE=3" })).toThrow(/MASH_RAG_HOURS: "PURPLE"/);
    expect(() => loadSettings({ MASH_RAG_HOURS: "RED=-1" })).toThrow(/RED=-1 is not a positive/);
  });
  it("count AMBER and GREEN in working hours by default, RED on the clock", () => {
    const { timescales } = loadSettings({});
    // Friday 16:00 GMT: 1h + Mon 8h + Tue 8h + 7h Wednesday.
    expect(dueAt(timescales, "2026-11-20T16:00:00Z", "AMBER")).toBe("2026-11-25T16:00:00Z");
    expect(dueAt(timescales, "2026-11-20T22:00:00Z", "RED")).toBe("2026-11-21T02:00:00Z");
  });
  it("use MASH_RAG_HOURS's hours on the working calendar", () => {
    const { timescales } = loadSettings({ MASH_RAG_HOURS: "AMBER=6" });
    // Friday 16:00 + 6 working hours: 1h Friday, 5h Monday from 09:00.
    expect(dueAt(timescales, "2026-11-20T16:00:00Z", "AMBER")).toBe("2026-11-23T14:00:00Z");
  });
});

describe("MASH_TIMESCALES_FILE", () => {
  const custom = `
ragHours: { GREEN: 16 }
continuous: [RED, AMBER]
calendar:
  timeZone: America/New_York
  workingDays: [mon, TUE, WED, THU]
  hours: "08:30-16:30"
  bankHolidays: [2026-11-26]
`;

  it("sets a custom calendar from YAML: New York, Mon–Thu 08:30–16:30, Thanksgiving off", () => {
    const { ragHours, timescales } = withFile(custom);
    expect(ragHours).toEqual({ RED: 4, AMBER: 24, GREEN: 16 });
    // Wed 25 Nov 15:30 EST: 1h Wed, Thu 26 holiday, Fri not worked, 8h Mon 30, 7h Tue = 15:30 EST.
    expect(dueAt(timescales, "2026-11-25T20:30:00Z", "GREEN")).toBe("2026-12-01T20:30:00Z");
    // AMBER is continuous in this file: 24 clock hours.
    expect(dueAt(timescales, "2026-11-25T20:30:00Z", "AMBER")).toBe("2026-11-26T20:30:00Z");
  });

  it("reads JSON, and MASH_RAG_HOURS overrides the file's ragHours rating by rating", () => {
    const json = JSON.stringify(
      {
        ragHours: { RED: 2, AMBER: 8, GREEN: 16 },
        calendar: { hours: "08:00-16:00", bankHolidays: [] },
      },
      null,
      "\t",
    );
    const path = file(json, "json");
    const settings = loadSettings({ MASH_TIMESCALES_FILE: path, MASH_RAG_HOURS: "AMBER=4" });
    expect(settings.ragHours).toEqual({ RED: 2, AMBER: 4, GREEN: 16 });
    // Christmas Day 2026 is worked here (no holidays): Thu 24 Dec 15:00 + 4h = Fri 25 11:00.
    expect(dueAt(settings.timescales, "2026-12-24T15:00:00Z", "AMBER")).toBe(
      "2026-12-25T11:00:00Z",
    );
  });

  it("keeps every default a file leaves out", () => {
    const { ragHours, timescales } = withFile("{}");
    expect(ragHours).toEqual({ RED: 4, AMBER: 24, GREEN: 72 });
    expect(dueAt(timescales, "2026-12-24T10:00:00Z", "AMBER")).toBe("2026-12-31T10:00:00Z");
    expect(dueAt(timescales, "2026-11-20T22:00:00Z", "RED")).toBe("2026-11-21T02:00:00Z");
    // Only the hours change: Friday 16:00 + 24h at 07:00–19:00 = 3h Fri + 12h Mon + 9h Tue.
    const early = withFile('calendar: { hours: "07:00-19:00" }').timescales;
    expect(dueAt(early, "2026-11-20T16:00:00Z", "AMBER")).toBe("2026-11-24T16:00:00Z");
  });

  it("is ignored when empty, like the other settings", () => {
    expect(loadSettings({ MASH_TIMESCALES_FILE: "" }).ragHours.GREEN).toBe(72);
  });

  const refusals: [string, string, RegExp][] = [
    [
      "an unknown top-level key",
      "ragHour: { RED: 2 }",
      /: ragHour: unknown key \(expected ragHours, continuous or calendar\)/,
    ],
    [
      "an unknown calendar key",
      "calendar: { timezone: Europe/London }",
      /: calendar\.timezone: unknown key/,
    ],
    [
      "a bad time zone",
      "calendar: { timeZone: Europe/Lundon }",
      /calendar\.timeZone: "Europe\/Lundon" is not a time zone/,
    ],
    [
      "hours that run backwards",
      'calendar: { hours: "17:00-09:00" }',
      /calendar\.hours: "17:00-09:00" ends before it starts/,
    ],
    [
      "hours that are not a span",
      "calendar: { hours: 9-5 }",
      /calendar\.hours: "9-5" is not a span of hours/,
    ],
    [
      "an hour past midnight",
      'calendar: { hours: "09:00-25:00" }',
      /calendar\.hours: "09:00-25:00" is not a time of day/,
    ],
    [
      "a date that is not a date",
      "calendar: { bankHolidays: [2026-12-25, 2026-02-30] }",
      /calendar\.bankHolidays\[1\]: "2026-02-30" is not a date/,
    ],
    [
      "a date in another format",
      'calendar: { bankHolidays: ["25/12/2026"] }',
      /calendar\.bankHolidays\[0\]: "25\/12\/2026" is not a date/,
    ],
    [
      "bank holidays not in a list",
      "calendar: { bankHolidays: 2026-12-25 }",
      /calendar\.bankHolidays: expected a list/,
    ],
    ["no working days", "calendar: { workingDays: [] }", /calendar\.workingDays: no working days/],
    [
      "a day that is not a day",
      "calendar: { workingDays: [MON, FUNDAY] }",
      /calendar\.workingDays\[1\]: "FUNDAY" is not a day/,
    ],
    [
      "a day listed twice",
      "calendar: { workingDays: [MON, mon] }",
      /calendar\.workingDays\[1\]: MON is listed twice/,
    ],
    [
      "an unknown rating's hours",
      "ragHours: { PURPLE: 3 }",
      /ragHours\.PURPLE: "PURPLE" is not a rating/,
    ],
    [
      "hours that are not a number",
      'ragHours: { AMBER: "24h" }',
      /ragHours\.AMBER: "24h" is not a positive number of hours/,
    ],
    ["zero hours", "ragHours: { RED: 0 }", /ragHours\.RED: 0 is not a positive number/],
    [
      "an unknown continuous rating",
      "continuous: [RED, BLUE]",
      /continuous\[1\]: "BLUE" is not a rating/,
    ],
    ["continuous not a list", "continuous: RED", /continuous: expected a list of ratings/],
    [
      "a key given twice",
      "ragHours: { RED: 2 }\nragHours: { RED: 3 }",
      /is not valid JSON or YAML: Map keys must be unique/,
    ],
    ["a file that does not parse", '{ "ragHours": ', /is not valid JSON or YAML/],
    [
      "a file that is not a mapping",
      "- RED\n- AMBER",
      /expected a mapping of ragHours, continuous or calendar, not a list/,
    ],
    ["an empty file", "", /is empty/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what}, naming the file and the key`, () => {
      const path = file(text);
      const error = (() => {
        try {
          loadSettings({ MASH_TIMESCALES_FILE: path });
        } catch (err) {
          return err;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe("MASH_TIMESCALES_FILE");
      expect((error as Error).message).toContain(`MASH_TIMESCALES_FILE: ${path}: `);
      expect((error as Error).message).toMatch(message);
    });
  }

  it("refuses a file it cannot read, naming the path", () => {
    const missing = join(dir, "nowhere.yaml");
    expect(() => loadSettings({ MASH_TIMESCALES_FILE: missing })).toThrow(
      `MASH_TIMESCALES_FILE: cannot read "${missing}" (ENOENT)`,
    );
    expect(() => loadSettings({ MASH_TIMESCALES_FILE: dir })).toThrow(/cannot read .* \(EISDIR\)/);
  });

  it("still refuses a bad MASH_RAG_HOURS when a file is set", () => {
    expect(() =>
      loadSettings({ MASH_TIMESCALES_FILE: file("{}"), MASH_RAG_HOURS: "AMBER=soon" }),
    ).toThrow(/MASH_RAG_HOURS: AMBER=soon is not a positive/);
  });
});
