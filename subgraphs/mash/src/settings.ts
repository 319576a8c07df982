import { ConfigError } from "@mash/kit";

export type Rag = "RED" | "AMBER" | "GREEN";

export interface MashSettings {
  /** Hours from opening to the decision being due, per RAG rating. Set locally by each hub. */
  ragHours: Record<Rag, number>;
}

export const defaultRagHours: Record<Rag, number> = { RED: 4, AMBER: 24, GREEN: 72 };

/**
 * `MASH_RAG_HOURS="RED=4,AMBER=24,GREEN=72"`: timescales differ between hubs (one force uses
 * 4/24/72, another 2/6/24), so they are configuration, never constants in code.
 */
export function loadSettings(env: Record<string, string | undefined>): MashSettings {
  const raw = env.MASH_RAG_HOURS;
  if (!raw) return { ragHours: { ...defaultRagHours } };
  const ragHours = { ...defaultRagHours };
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
  return { ragHours };
}
