import type { Reconciliation } from "./reconcile.ts";

/** What audit:reconcile prints: each agency's counts, then every served request left unmatched. */
export function reconciliationReport(r: Reconciliation): string {
  const lines = [
    `Served requests against the access log (${r.accessRecords} records), ${r.window.since ?? "from the start"} to ${r.window.until}:`,
  ];
  for (const a of r.agencies) {
    if (a.missing) {
      lines.push(`  ${a.agency}: ${a.missing}`);
      continue;
    }
    const own = Object.entries(a.gatewayOwn).map(([kind, n]) => `${n} ${kind}`);
    const refused = Object.entries(a.refused).map(([reason, n]) => `${n} ${reason}`);
    lines.push(
      `  ${a.agency}: ${a.served} served, ${a.matched} matched` +
        (own.length ? `, the gateway's own: ${own.join(", ")}` : "") +
        (a.beforeLog ? `, ${a.beforeLog} before the log's retention cut` : "") +
        (a.unmatched.length ? `, ${a.unmatched.length} UNMATCHED` : "") +
        (refused.length ? `; refused: ${refused.join(", ")}` : ""),
    );
  }
  if (r.ok) {
    lines.push("Every served request has its record.");
  } else {
    lines.push(
      `${r.unmatched.length} served request(s) no gateway request accounts for (signed with the gateway's key outside it?):`,
    );
    for (const u of r.unmatched)
      lines.push(
        `  ${u.at} ${u.agency} rid=${u.rid} sub=${u.sub} roles=${u.roles || "-"} enquiry=${u.enquiry ?? "-"} ${u.operation ?? "?"} ${u.rootFields ?? ""} entities=${u.entities}: ${u.problem}`,
      );
  }
  return `${lines.join("\n")}\n`;
}
