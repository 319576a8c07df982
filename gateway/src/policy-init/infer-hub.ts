import type { FieldOwnership } from "../authz/policy/ownership.ts";
import type { Agency } from "./agency-names.ts";

/**
 * The hub is the front door: the agency whose subgraph answers the most root query fields (where
 * people are looked up and enquiries opened), then the one that resolves the most fields that
 * several subgraphs share; ties by name.
 */
export function inferHub(
  agencies: Agency[],
  ownership: FieldOwnership,
): { hub: string; why: string } {
  const roots = new Map<string, number>();
  const shared = new Map<string, number>();
  for (const [coordinate, graphs] of ownership.graphsOf) {
    if (coordinate.startsWith("Query."))
      for (const g of graphs) roots.set(g, (roots.get(g) ?? 0) + 1);
    if (graphs.length > 1) for (const g of graphs) shared.set(g, (shared.get(g) ?? 0) + 1);
  }
  const count = (m: Map<string, number>, a: Agency) => m.get(a.subgraph) ?? 0;
  const ranked = [...agencies].sort(
    (a, b) =>
      count(roots, b) - count(roots, a) ||
      count(shared, b) - count(shared, a) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const best = ranked[0] as Agency;
  const why = count(roots, best)
    ? `its subgraph answers the most root query fields (${count(roots, best)})`
    : count(shared, best)
      ? `its subgraph resolves the most fields that several subgraphs share (${count(shared, best)})`
      : "no subgraph stands out, so the first agency by name was taken";
  return { hub: best.name, why };
}
