import { join } from "node:path";
import type { Logger } from "@mash/kit";
import { connectNatsNotifier, type NatsNotifier } from "../audit/nats-notify.ts";
import { type AuditLog, type AuditStore, openAuditStore } from "../audit/store.ts";
import type { GatewayConfig } from "../config.ts";

/**
 * The access log the gateway writes: the one it was given, or the store `config.audit` names
 * (else `audit.sqlite` in the data directory), with owner notifications copied to NATS when
 * configured. None with enforcement off (benchmarks only).
 */
export async function openAccessLog(deps: {
  config: Pick<GatewayConfig, "audit">;
  options: { audit?: AuditLog };
  dataDir: string;
  enforce: boolean;
  logger: Logger;
}) {
  const { config, options, logger } = deps;
  let ownAudit: AuditStore | undefined;
  let nats: NatsNotifier | undefined;
  if (deps.enforce && !options.audit) {
    ownAudit = await openAuditStore(
      config.audit.store ?? { kind: "sqlite", file: join(deps.dataDir, "audit.sqlite") },
      { fullSync: config.audit.sqliteFullSync },
    );
  }
  const audit = options.audit ?? ownAudit;
  // Officers query the log the gateway writes; a caller-supplied log is queryable if it is a store.
  const auditStore =
    audit && "store" in audit && "onCommitted" in audit ? (audit as AuditStore) : undefined;
  try {
    if (auditStore && config.audit.nats) {
      nats = await connectNatsNotifier(config.audit.nats, logger);
      const publisher = nats;
      auditStore.onCommitted((records) => publisher.publish(records));
      logger.info("owner notifications also published to NATS", {
        subject: `${config.audit.nats.subject}.<agency>`,
      });
    }
  } catch (error) {
    await ownAudit?.close().catch(() => {});
    throw error;
  }
  return {
    audit,
    auditStore,
    /** Closes what this opened (a given log is the caller's to close). */
    async close() {
      await nats?.close();
      await ownAudit?.close();
    },
  };
}

export type AccessLogStore = Awaited<ReturnType<typeof openAccessLog>>;
