import { ConfigError } from "@mash/kit";
import { defaultCalendar } from "./calendar/calendar.ts";
import { readTimescalesFile } from "./calendar/file.ts";
import type { Rag } from "./rag-levels.ts";
import { type Timescales, workingTimescales } from "./timescales.ts";

export { RAGS, type Rag } from "./rag-levels.ts";

export interface MashSettings {
  /** Hours from opening to the decision being due, per RAG rating. Set locally by each hub. */
  ragHours: Record<Rag, number>;
  /** Turns a start and a RAG rating into a due time, counting the hub's working hours. */
  timescales: Timescales;
  /** The fewest characters a reason of substance has (an enquiry's, a RAG change's, a decision's). */
  minReasonLength: number;
}

export const defaultRagHours: Record<Rag, number> = { RED: 4, AMBER: 24, GREEN: 72 };
/** Ratings that run through the night (clock hours, 24/7) unless the timescales file says otherwise. */
export const defaultContinuous: readonly Rag[] = ["RED"];
export const DEFAULT_MIN_REASON = 15;

/**
 * `MASH_RAG_HOURS="RED=4,AMBER=24,GREEN=72"`: timescales differ between hubs (one force uses
 * 4/24/72, another 2/6/24), so they are configuration, never constants in code.
 * `MASH_TIMESCALES_FILE` (JSON or YAML) adds the working calendar they are counted on and which
 * ratings run through the night; MASH_RAG_HOURS, when set, wins over the file's ragHours.
 */
export function loadSettings(env: Record<string, string | undefined>): MashSettings {
  const file = env.MASH_TIMESCALES_FILE ? readTimescalesFile(env.MASH_TIMESCALES_FILE) : null;
  const ragHours = readRagHours(env.MASH_RAG_HOURS, { ...defaultRagHours, ...file?.ragHours });
  return {
    ragHours,
    timescales: workingTimescales({
      ragHours,
      continuous: file?.continuous ?? defaultContinuous,
      calendar: file?.calendar ?? defaultCalendar,
    }),
    minReasonLength: readMinReason(env.MASH_MIN_REASON_LENGTH),
  };
}

function readRagHours(raw: string | undefined, base: Record<Rag, number>): Record<Rag, number> {
  const ragHours = { ...base };
  if (!raw) return ragHours;
  for (const part of raw.split(",")) {
    const [rag, hours] = part.split("=").map((s) => s.trim());
    const key = rag?.toUpperCase();
    if (key !== "RED" && key !== "AMBER" && key !== "GREEN") {
      throw new ConfigError("MASH_RAG_HOURS", `"${rag}" is not RED, AMBER or GREEN (in "${raw}")`);
    }
    const n = Number(hours);
    if (!hours || !Number.isFinite(n) || n <= 0) {
      throw new ConfigError(
        "MASH_RAG_HOURS",
        `${key}=${hours ?? ""} is not a positive number of hours`,
      );
    }
    ragHours[key] = n;
  }
  return ragHours;
}

function readMinReason(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_MIN_REASON;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) {
    throw new ConfigError(
      "MASH_MIN_REASON_LENGTH",
      `"${raw}" is not a whole number of characters from 1 to 500`,
    );
  }
  return n;
}
