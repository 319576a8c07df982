import type { KyselyPlugin } from "kysely";
import { type StoreDamage, StoreDamaged } from "./store-damage.ts";

/**
 * A store's damage, once found: set for good (until the process restarts), and from then on
 * every statement is refused before it reaches the database, so nothing more is read from or
 * written to a file or schema that is not what it should be.
 */
export interface DamageGuard {
  readonly damage: StoreDamage | undefined;
  /** Marks the store damaged; the first report stands, and `onDamage` hears it once. */
  mark(code: string, message: string): StoreDamage;
  /** The Kysely plugin that refuses every statement once the store is damaged. */
  readonly plugin: KyselyPlugin;
}

export function createDamageGuard(
  agency: string,
  where: string,
  onDamage: ((damage: StoreDamage) => void) | undefined,
): DamageGuard {
  let damage: StoreDamage | undefined;
  return {
    get damage() {
      return damage;
    },
    mark(code, message) {
      if (damage) return damage;
      damage = { agency, where, code, message };
      onDamage?.(damage);
      return damage;
    },
    plugin: {
      // Every statement passes here as it is compiled, raw `sql` included: the one place to stop it.
      transformQuery(args) {
        if (damage) throw new StoreDamaged(damage);
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    },
  };
}
