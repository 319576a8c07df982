import { type AuditRecord, openAuditStore, verifyChain } from "@mash/gateway";
import { verifyDerived } from "../../gateway/src/audit/verify-derived.ts";

/**
 * The access log the three gateways wrote, against what their clients were answered: every
 * acknowledged request id exactly once, naming the operation the client sent; no request id
 * twice; and the chain and its derived rows verified as `npm run audit:verify` does.
 */
export async function checkAccessLog(url: string, acknowledged: Map<string, string | undefined>) {
  const log = await openAuditStore({ kind: "postgres", url, schema: "audit" });
  try {
    const rows = await log.rows();
    const chain = verifyChain(rows, { checkpoint: await log.checkpoint() });
    const derived = chain.ok ? await verifyDerived(log.store.db) : undefined;
    const records = rows.map((r) => JSON.parse(r.body) as AuditRecord);
    const byId = new Map<string, AuditRecord[]>();
    for (const r of records) byId.set(r.requestId, [...(byId.get(r.requestId) ?? []), r]);
    const missing = [...acknowledged.keys()].filter((id) => !byId.has(id));
    const twice = [...byId].filter(([, rs]) => rs.length > 1).map(([id]) => id);
    const wrongOperation = [...acknowledged]
      .filter(([id, operation]) => operation && byId.get(id)?.[0]?.operationName !== operation)
      .map(([id]) => id);
    // A load request's record without an answer to its client: the kill cut it off after its
    // record was committed (and, a read, HAProxy asked another gateway again).
    const unansweredLoad = records
      .filter((r) => !acknowledged.has(r.requestId))
      .map((r) => /^Topology(?:Read|Contact)_(\d+)$/.exec(r.operationName ?? "")?.[1])
      .filter((n) => n !== undefined)
      .map(Number);
    return {
      records: records.length,
      chain,
      derived,
      missing,
      twice,
      wrongOperation,
      unansweredLoad,
    };
  } finally {
    await log.close();
  }
}
