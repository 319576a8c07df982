import type { Logger } from "@mash/kit";
import { connect, type NatsConnection, StringCodec } from "nats";
import { notificationRows } from "./index-rows.ts";
import type { AuditRecord } from "./record.ts";

export interface NatsNotifier {
  publish(records: AuditRecord[]): void;
  close(): Promise<void>;
}

/**
 * A copy of each owner notification on NATS, for an agency's own alerting, published once the
 * record and notification are committed. The stored notification is the one that counts: a
 * publish that fails is logged, and the officer still finds it in the console.
 */
export async function connectNatsNotifier(
  config: { url: string; subject: string },
  logger: Logger,
): Promise<NatsNotifier> {
  let connection: NatsConnection;
  try {
    connection = await connect({ servers: config.url, name: "mash-gateway", timeout: 5000 });
  } catch (error) {
    throw new Error(
      `MASH_NOTIFY_NATS_URL: cannot connect to ${config.url}: ${(error as Error).message}`,
    );
  }
  const codec = StringCodec();
  return {
    publish(records) {
      for (const record of records) {
        for (const row of notificationRows(record)) {
          try {
            connection.publish(
              `${config.subject}.${row.agency}`,
              codec.encode(
                JSON.stringify({ id: row.id, agency: row.agency, ...JSON.parse(row.body) }),
              ),
            );
          } catch (error) {
            logger.error("notification not published to NATS", {
              id: row.id,
              error: (error as Error).message,
            });
          }
        }
      }
    },
    async close() {
      await connection.drain();
    },
  };
}
