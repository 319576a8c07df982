import { ConfigError } from "@mash/kit/errors";

// The shapes of the gateway's settings (numbers, URLs, origins), each naming its setting when a
// value does not fit.

type Env = Record<string, string | undefined>;

/** A count of requests: fractions would make the message and the budget disagree. */
export function wholeNumber(env: Env, key: string, fallback: number): number {
  const n = positive(env, key, fallback);
  if (!Number.isInteger(n)) throw new ConfigError(key, `"${env[key]}" is not a whole number`);
  return n;
}

/** The URL may hold a password, so a bad one is described, never echoed. */
export function redisUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {}
  if (!url || (url.protocol !== "redis:" && url.protocol !== "rediss:") || !url.hostname) {
    throw new ConfigError(
      "MASH_REDIS_URL",
      "is not a redis:// or rediss:// URL with a host, such as redis://cache.internal:6379",
    );
  }
  return raw;
}

export function positive(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(key, `"${raw}" is not a positive number`);
  return n;
}

/** `MASH_CORS_ORIGINS="https://mash.example.gov.uk,https://portal.example.gov.uk"`. */
export function parseOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {}
    if (!url || url.origin !== origin) {
      throw new ConfigError(
        "MASH_CORS_ORIGINS",
        `"${origin}" is not an origin such as https://mash.example.gov.uk (scheme, host and port, no path)`,
      );
    }
  }
  return origins;
}
