import DataLoader from "dataloader";

/**
 * A per-request loader that turns every `load(id)` of one tick into a single `fetchMany(ids)`:
 * the gateway sends one `_entities` call per fetch node and does not deduplicate, so this is what
 * keeps N subjects at one query. Ids the store does not know get `missing`, never an error.
 */
export function batchLoader<V>(
  fetchMany: (ids: readonly string[]) => Promise<Map<string, V>>,
  missing: (id: string) => V,
): DataLoader<string, V> {
  return new DataLoader<string, V>(
    async (ids) => {
      const found = await fetchMany(ids);
      return ids.map((id) => found.get(id) ?? missing(id));
    },
    { maxBatchSize: 1000 },
  );
}

/** Groups rows by a key, keeping order: the common step after an `IN (...)` query. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
