// Longer than most because it is a history: three versions' entries and the rows each wrote, side by side.
import type { Kysely } from "kysely";
import { canonicalCopy } from "./canonical-before.test-support.ts";
import { type ChainHead, linkBatch } from "./link-batch.ts";
import type { AuditEntry, AuditRecord } from "./record.ts";

/**
 * The access log as each earlier version of the gateway wrote it: the entries of its time and
 * the rows it stored for them, frozen here as that code had them (git history: aeff685 before
 * 0003_governance_index, 33d9677 before 0004_agency_and_subject_index, 3abe1cc before
 * 0005_governance_traffic), so that a change to today's derivations cannot change what an old
 * store holds.
 */
export interface Era {
  /** The first migration the store of that time had not run. */
  before: "0003_governance_index" | "0004_agency_and_subject_index" | "0005_governance_traffic";
  entries: AuditEntry[];
  /** Writes `entries` after `head` as that code did; returns the new head. */
  write(db: Kysely<unknown>, entries: readonly AuditEntry[], head: ChainHead): Promise<ChainHead>;
}

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, n)).toISOString();
const facts = (n: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: at(n),
  requestId: `req-${n}`,
  userId: `user-${n % 3}`,
  agency: "police",
  roles: ["police-officer"],
  enquiryId: null,
  breakGlassReason: null,
  operationName: "SubjectOverview",
  queryHash: "a".repeat(64),
  subjects: [],
  released: [],
  withheld: [],
  outcome: "ok",
  ...over,
});

/** Before 0003: no `seen`, `flagged`, `governance` nor `refusal`; withheld without its agency. */
const entriesA: AuditEntry[] = [
  facts(1, {
    enquiryId: "ENQ-2001",
    subjects: ["S-1003"],
    released: [{ field: "Intelligence.summary", agency: "police" }],
    withheld: [{ field: "Intelligence.source", rule: "police-intelligence-sources" }],
    outcome: "partial",
  }),
  facts(2, {
    agency: "health",
    roles: ["gp"],
    breakGlassReason: "Patient unconscious in A&E",
    subjects: ["S-1004", "S-1009"],
    released: [
      { field: "Intelligence.summary", agency: "police" },
      { field: "Prescription.drug", agency: "health" },
    ],
  }),
  facts(3, { operationName: null, outcome: "refused" }),
];

/** 0003 to 0004: what each agency's data was about, flagged people, governance and refusals. */
const entriesB: AuditEntry[] = [
  facts(11, {
    enquiryId: "ENQ-2002",
    subjects: ["S-1003", "S-1007"],
    released: [
      { field: "Person.name", agency: "council" },
      { field: "Intelligence.summary", agency: "police" },
    ],
    withheld: [{ field: "Prescription.drug", rule: "health-prescriptions", agency: "health" }],
    seen: [
      { agency: "council", subjects: ["S-1003", "S-1007"] },
      { agency: "police", subjects: ["S-1003"] },
    ],
    flagged: [],
    outcome: "partial",
  }),
  facts(12, {
    breakGlassReason: "Child at immediate risk",
    subjects: ["S-1003"],
    released: [
      { field: "Prescription.drug", agency: "health" },
      { field: "Intelligence.summary", agency: "police" },
    ],
    seen: [
      // An agency's data about no one (a count, say): told of the break glass all the same.
      { agency: "education", subjects: [] },
      { agency: "health", subjects: ["S-1003"] },
      { agency: "police", subjects: ["S-1003"] },
    ],
    flagged: [],
  }),
  facts(13, {
    enquiryId: "ENQ-2002",
    subjects: ["S-1005", "S-1009"],
    released: [{ field: "Case.status", agency: "social-care" }],
    seen: [{ agency: "social-care", subjects: ["S-1005", "S-1009"] }],
    flagged: ["S-1009"],
  }),
  facts(14, {
    userId: "officer-1",
    roles: ["governance-officer"],
    operationName: "Propose",
    governance: { action: "proposePolicy", agency: "police", target: "police/roles.yaml" },
  }),
  facts(15, {
    userId: "(unauthenticated)",
    agency: null,
    roles: [],
    operationName: null,
    queryHash: "b".repeat(64),
    refusal: "UNAUTHENTICATED",
    outcome: "refused",
  }),
];

/** 0004 to 0005: as before, and governance steps carry their reason. */
const entriesC: AuditEntry[] = [
  facts(21, {
    userId: "officer-2",
    agency: "health",
    roles: ["governance-officer"],
    operationName: "AccessLog",
    governance: { action: "query:accessLog", agency: "health" },
  }),
  facts(22, {
    enquiryId: "ENQ-2003",
    breakGlassReason: "Missing person, last seen today",
    subjects: ["S-1011", "S-1012"],
    released: [{ field: "Case.status", agency: "social-care" }],
    seen: [{ agency: "social-care", subjects: ["S-1011", "S-1012"] }],
    flagged: ["S-1012"],
  }),
  facts(23, {
    userId: "officer-1",
    roles: ["governance-officer"],
    operationName: "Approve",
    governance: {
      action: "approvePolicy",
      agency: "police",
      target: "police/roles.yaml",
      reason: "Reviewed with the data protection officer",
    },
  }),
  facts(24, {
    subjects: ["S-1003"],
    released: [{ field: "Intelligence.summary", agency: "police" }],
    seen: [{ agency: "police", subjects: ["S-1003"] }],
    flagged: [],
  }),
];

/** The body, link and hash of each record, as every version of the gateway has written them. */
function link(entries: readonly AuditEntry[], head: ChainHead) {
  const linked = linkBatch(entries, head);
  return {
    last: linked.last,
    rows: linked.rows.map((row, i) => {
      const record = linked.records[i] as AuditRecord;
      // Byte for byte the canonical JSON of that time: the hash the old code wrote.
      if (row.body !== canonicalCopy(record)) throw new Error(`record ${row.seq}: body changed`);
      return {
        record,
        row: { seq: row.seq, body: row.body, prev_hash: row.prev_hash, hash: row.hash },
      };
    }),
  };
}

/** 0003's search columns, from 33d9677 to 3abe1cc: no `governance` column yet. */
const columnsB = (r: AuditRecord) => ({
  at: r.at,
  user_id: r.userId,
  enquiry_id: r.enquiryId,
  break_glass: r.breakGlassReason ? 1 : 0,
});

/** 0003's index: one row per (agency, person), "" for an agency without a person (33d9677). */
function accessRowsB(r: AuditRecord) {
  const touched = new Map<string, Set<string>>();
  const add = (agency: string) => {
    const set = touched.get(agency) ?? new Set<string>();
    touched.set(agency, set);
    return set;
  };
  for (const { agency, subjects } of r.seen ?? [])
    for (const s of subjects.length ? subjects : [""]) add(agency).add(s);
  for (const { agency } of r.released) add(agency);
  for (const { agency } of r.withheld) if (agency) add(agency);
  if (r.governance) add(r.governance.agency);
  return [...touched].flatMap(([agency, subjects]) => [
    ...(subjects.size === 0 ? [{ seq: r.seq, agency, subject_id: "" }] : []),
    ...[...subjects].map((subject_id) => ({ seq: r.seq, agency, subject_id })),
  ]);
}

/** 0004's index (3abe1cc): one row per agency touched and one per person seen. */
function agencyRowsC(r: AuditRecord) {
  const agencies = new Set([
    ...(r.seen ?? []).map((s) => s.agency),
    ...r.released.map((x) => x.agency),
    ...r.withheld.flatMap((w) => (w.agency ? [w.agency] : [])),
    ...(r.governance ? [r.governance.agency] : []),
  ]);
  return [...agencies].map((agency) => ({ seq: r.seq, agency }));
}
const subjectRowsC = (r: AuditRecord) =>
  [...new Set((r.seen ?? []).flatMap((s) => s.subjects))].map((subject_id) => ({
    seq: r.seq,
    subject_id,
  }));

/** Owners' notifications from 33d9677 until `held` (cf72db3): every agency in `seen` is told. */
function notificationsBC(r: AuditRecord) {
  const flagged = new Set(r.flagged ?? []);
  return (r.seen ?? []).flatMap(({ agency, subjects }) => {
    const kinds = [
      ...(r.breakGlassReason ? ["BREAK_GLASS"] : []),
      ...(subjects.some((s) => flagged.has(s)) ? ["FLAGGED_SUBJECT"] : []),
    ];
    if (kinds.length === 0) return [];
    const body = {
      at: r.at,
      kinds,
      requestId: r.requestId,
      userId: r.userId,
      userAgency: r.agency,
      roles: r.roles,
      enquiryId: r.enquiryId,
      reason: r.breakGlassReason,
      subjects: r.breakGlassReason ? subjects : subjects.filter((s) => flagged.has(s)),
      fields: r.released.filter((x) => x.agency === agency).map((x) => x.field),
    };
    const id = `${r.seq}:${agency}`;
    const none = { acknowledged_by: null, acknowledged_at: null };
    return [{ id, seq: r.seq, agency, body: JSON.stringify(body), ...none }];
  });
}

// The old tables, typed only as far as these inserts need.
type Row = Record<string, string | number | null>;
type OldTables = Record<string, Row>;

async function insert(db: Kysely<unknown>, table: string, rows: Row[]) {
  const typed = db as Kysely<OldTables>;
  for (const row of rows) await typed.insertInto(table).values(row).execute();
}

export const eraA: Era = {
  before: "0003_governance_index",
  entries: entriesA,
  async write(db, entries, head) {
    const { rows, last } = link(entries, head);
    await insert(
      db,
      "audit_log",
      rows.map((r) => r.row),
    );
    return last;
  },
};

export const eraB: Era = {
  before: "0004_agency_and_subject_index",
  entries: entriesB,
  async write(db, entries, head) {
    const { rows, last } = link(entries, head);
    const records = rows.map((r) => r.record);
    await insert(
      db,
      "audit_log",
      rows.map((r) => ({ ...r.row, ...columnsB(r.record) })),
    );
    await insert(db, "audit_access", records.flatMap(accessRowsB));
    await insert(db, "audit_notification", records.flatMap(notificationsBC));
    return last;
  },
};

export const eraC: Era = {
  before: "0005_governance_traffic",
  entries: entriesC,
  async write(db, entries, head) {
    const { rows, last } = link(entries, head);
    const records = rows.map((r) => r.record);
    await insert(
      db,
      "audit_log",
      rows.map((r) => ({ ...r.row, ...columnsB(r.record) })),
    );
    await insert(db, "audit_agency", records.flatMap(agencyRowsC));
    await insert(db, "audit_subject", records.flatMap(subjectRowsC));
    await insert(db, "audit_notification", records.flatMap(notificationsBC));
    return last;
  },
};

export const ERAS = [eraA, eraB, eraC] as const;
