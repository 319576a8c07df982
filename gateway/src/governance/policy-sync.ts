import type { Logger } from "@mash/kit";
import pg from "pg";
import { POLICY_CHANNEL, type PolicyStore, PURPOSE_CHANNEL } from "./policy-store.ts";

export { overlayPublished, textsInForce } from "./policy-texts.ts";

export interface PublicationFollower {
  stop(): Promise<void>;
}

/** How often a gateway looks at the change marker: often on SQLite, as a safety net on PostgreSQL. */
export const DEFAULT_POLL_MS = { sqlite: 500, postgres: 5000 } as const;

/**
 * Calls `onChange` after any agency publishes (or rolls back) through any process on the same
 * store. PostgreSQL: LISTEN for the NOTIFY the publishing transaction sends, plus a slow poll of
 * the change marker in case the listening connection dropped. SQLite: polls the marker, one
 * indexed max() per tick.
 */
export function followPublications(options: {
  store: PolicyStore;
  onChange: () => void;
  logger?: Logger;
  pollMs?: number;
  /** The marker read before the caller loaded the published texts: nothing after it is missed. */
  since?: number;
  /** What to follow: publications by default. */
  channel?: string;
  read?: () => Promise<number>;
}): PublicationFollower {
  const { store, logger } = options;
  const { config } = store;
  const channel = options.channel ?? POLICY_CHANNEL;
  const read = options.read ?? (() => store.marker());
  let stopped = false;
  let last: number | undefined = options.since;
  let listener: pg.Client | undefined;
  let connecting: Promise<void> | undefined;

  const check = async () => {
    try {
      const marker = await read();
      if (last !== undefined && marker !== last) options.onChange();
      last = marker;
    } catch (error) {
      logger?.error("policy store unreachable; the policy in force stays", {
        error: (error as Error).message,
      });
    }
  };

  const listen = () => {
    if (config.kind !== "postgres" || listener || connecting || stopped) return connecting;
    const client = new pg.Client({ connectionString: config.url });
    connecting = (async () => {
      try {
        client.on("error", (error) => {
          logger?.warn("policy listener lost; polling until it reconnects", {
            error: error.message,
          });
          if (listener === client) listener = undefined;
          client.end().catch(() => {});
        });
        client.on("notification", (n) => {
          if (n.channel === channel && n.payload === config.schema) void check();
        });
        await client.connect();
        await client.query(`listen ${channel}`);
        if (stopped) await client.end();
        else listener = client;
      } catch (error) {
        logger?.warn("policy listener could not connect; polling", {
          error: (error as Error).message,
        });
        await client.end().catch(() => {});
      } finally {
        connecting = undefined;
      }
    })();
    return connecting;
  };

  const pollMs = options.pollMs ?? DEFAULT_POLL_MS[config.kind];
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    void listen();
    await check();
    if (!stopped) timer = setTimeout(tick, pollMs);
  };
  // Without `since`, the first check only learns the marker.
  void (async () => {
    await listen();
    await tick();
  })();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await connecting;
      await listener?.end().catch(() => {});
      listener = undefined;
    },
  };
}

/** How often a gateway looks at the purpose marker: within a second on SQLite; PostgreSQL listens. */
export const PURPOSE_POLL_MS = { sqlite: 250, postgres: 1000 } as const;

/**
 * Calls `onChange` soon after any gateway on the same store announces a purpose change (an
 * answered mutation): at once on PostgreSQL (LISTEN), within PURPOSE_POLL_MS on SQLite.
 */
export function followPurposeChanges(options: {
  store: PolicyStore;
  onChange: () => void;
  logger?: Logger;
}): PublicationFollower {
  return followPublications({
    ...options,
    channel: PURPOSE_CHANNEL,
    read: () => options.store.purposeMarker(),
    pollMs: PURPOSE_POLL_MS[options.store.config.kind],
  });
}
