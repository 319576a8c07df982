import type { Logger } from "@mash/kit";
import type { Principal } from "../request/context.ts";
import { requestFacts } from "./collect.ts";
import { sha256 } from "./record.ts";
import type { AuditLog } from "./store.ts";

export interface RefusalAggregatesOptions {
  audit: AuditLog;
  logger: Logger;
  /** The window one aggregate covers (a minute). */
  windowMs?: number;
  now?: () => number;
  /** Most (address, reason) pairs held at once; beyond it the window is written early. */
  maxKeys?: number;
}

interface Pending {
  principal: Principal | undefined;
  address: string;
  code: string;
  api: string;
  count: number;
  firstRid: string;
  from: number;
  to: number;
}

/**
 * Refusals of clients that are not signed in, and of anyone past their rate budget: counted per
 * address (and user), reason and minute, and written as one record each when the minute is over
 * (or at shutdown). They carry no data, so a flood of bad tokens, or of requests made with one
 * captured token, costs the log one record a minute per address and reason, instead of one per
 * request that would bury the entries officers look for.
 */
export function createRefusalAggregates(options: RefusalAggregatesOptions) {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const pending = new Map<string, Pending>();

  const write = async (entries: Pending[]) => {
    for (const p of entries) {
      try {
        await options.audit.append({
          ...requestFacts({ requestId: p.firstRid, principal: p.principal }, new Date(p.to)),
          operationName: null,
          queryHash: sha256(""),
          subjects: [],
          released: [],
          withheld: [],
          refusal: p.code,
          aggregate: {
            address: p.address,
            count: p.count,
            from: new Date(p.from).toISOString(),
            to: new Date(p.to).toISOString(),
            api: p.api,
          },
          outcome: "refused",
        });
      } catch (error) {
        options.logger.error("aggregate record of refused requests not written", {
          refusals: p.count,
          error: (error as Error).message,
        });
      }
    }
  };

  const flush = async (all: boolean) => {
    const cutoff = Math.floor(now() / windowMs);
    const due: Pending[] = [];
    for (const [key, p] of pending) {
      if (all || Math.floor(p.from / windowMs) < cutoff) {
        due.push(p);
        pending.delete(key);
      }
    }
    await write(due);
  };

  const timer = setInterval(() => void flush(false), Math.min(windowMs, 5_000));
  timer.unref();

  return {
    /** One refusal from this address (and user, when signed in), for this reason. */
    count(address: string, code: string, api: string, requestId: string, principal?: Principal) {
      const at = now();
      const key = `${Math.floor(at / windowMs)}|${api}|${address}|${code}|${principal?.id ?? ""}`;
      const p = pending.get(key);
      if (p) {
        p.count += 1;
        p.to = at;
        return;
      }
      if (pending.size >= maxKeys) void flush(true);
      pending.set(key, {
        principal,
        address,
        code,
        api,
        count: 1,
        firstRid: requestId,
        from: at,
        to: at,
      });
    },
    /** Writes every aggregate now, finished or not (shutdown, tests). */
    flush: () => flush(true),
    async stop() {
      clearInterval(timer);
      await flush(true);
    },
  };
}

export type RefusalAggregates = ReturnType<typeof createRefusalAggregates>;
