import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { type AuditRecord, canonicalJson, chainHashOf, GENESIS } from "./record.ts";
import type { AuditRow, CheckpointRow } from "./store.ts";

/** Signs retention checkpoints with an Ed25519 private key (PEM). */
export function checkpointSigner(privateKeyPem: string): (body: string) => string {
  const key = createPrivateKey(privateKeyPem);
  return (body) => sign(null, Buffer.from(body), key).toString("base64");
}

/** Checks checkpoint signatures with the matching public key (PEM). */
export function checkpointVerifier(
  publicKeyPem: string,
): (body: string, signature: string) => boolean {
  const key = createPublicKey(publicKeyPem);
  return (body, signature) => {
    try {
      return verify(null, Buffer.from(body), key, Buffer.from(signature, "base64"));
    } catch {
      return false;
    }
  };
}

export type ChainProblem = {
  /** The sequence number of the first record that was changed, removed or inserted. */
  seq: number;
  kind: "changed" | "removed" | "inserted";
  message: string;
};

export type ChainReport =
  | { ok: true; records: number }
  | { ok: false; records: number; problem: ChainProblem };

/**
 * Walks the chain from the first record and names the first one that is not as written: a body
 * or hash edited ("changed"), a gap in the sequence or a record renumbered down ("removed"), or a
 * record that does not belong between its neighbours ("inserted").
 */
export function verifyChain(
  rows: readonly AuditRow[],
  retention: {
    checkpoint?: CheckpointRow;
    verifySignature?: (body: string, signature: string) => boolean;
  } = {},
): ChainReport {
  const { checkpoint } = retention;
  const sorted = [...rows]
    .filter((r) => !checkpoint || r.seq > checkpoint.seq)
    .sort((a, b) => a.seq - b.seq);
  let previousHash = GENESIS;
  let previousSeq = 0;
  const fail = (seq: number, kind: ChainProblem["kind"], message: string): ChainReport => ({
    ok: false,
    records: sorted.length,
    problem: { seq, kind, message },
  });
  if (checkpoint) {
    // A purge starts the chain at its checkpoint; an unsigned or re-signed cut is not trusted.
    let cut: { seq?: unknown; hash?: unknown } = {};
    try {
      cut = JSON.parse(checkpoint.body);
    } catch {}
    const signed = retention.verifySignature?.(checkpoint.body, checkpoint.signature) ?? false;
    if (!signed || cut.seq !== checkpoint.seq || typeof cut.hash !== "string") {
      return fail(
        checkpoint.seq + 1,
        "removed",
        `records up to ${checkpoint.seq} were purged, but the checkpoint's signature ${retention.verifySignature ? "does not verify" : "cannot be checked without the checkpoint public key"}`,
      );
    }
    previousHash = cut.hash;
    previousSeq = checkpoint.seq;
  }
  for (let i = 0; i < sorted.length; i++) {
    const row = sorted[i] as AuditRow;
    const expected = previousSeq + 1;
    if (row.seq > expected) {
      return fail(
        expected,
        "removed",
        `record ${expected}${row.seq - 1 > expected ? ` to ${row.seq - 1}` : ""} removed: the sequence goes from ${previousSeq} to ${row.seq}`,
      );
    }
    let record: AuditRecord | undefined;
    try {
      record = JSON.parse(row.body) as AuditRecord;
    } catch {}
    // The stored text is what was hashed, and it is the record's canonical JSON: a body with a
    // duplicate key or an injected `__proto__` parses to the old record and would hash as it,
    // while a reader taking the first of two keys would see another.
    const selfConsistent =
      record !== undefined &&
      canonicalJson(record) === row.body &&
      chainHashOf(row.body, row.prev_hash) === row.hash;
    if (record && selfConsistent && record.seq !== row.seq) {
      return record.seq < row.seq
        ? fail(
            record.seq,
            "inserted",
            `record ${record.seq} inserted: the record written as ${record.seq} now sits at ${row.seq}`,
          )
        : fail(
            row.seq,
            "removed",
            `record ${row.seq} removed: the record written as ${record.seq} now sits at ${row.seq}`,
          );
    }
    if (!selfConsistent) {
      const next = sorted[i + 1];
      if (next && next.prev_hash === previousHash) {
        return fail(
          row.seq,
          "inserted",
          `record ${row.seq} inserted: record ${next.seq} links straight to record ${previousSeq}`,
        );
      }
      return fail(
        row.seq,
        "changed",
        `record ${row.seq} changed: its hash does not match its content`,
      );
    }
    if (row.prev_hash !== previousHash) {
      return previousSeq > 0
        ? fail(
            previousSeq,
            "changed",
            `record ${previousSeq} changed: record ${row.seq} holds a different hash for it`,
          )
        : fail(row.seq, "changed", `record ${row.seq} changed: it does not start the chain`);
    }
    previousHash = row.hash;
    previousSeq = row.seq;
  }
  return { ok: true, records: sorted.length };
}
