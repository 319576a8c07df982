// What the judged pass saw of one request, for its access-log record: fields released and
// withheld and the people they were about. The engine fills it; audit/collect.ts makes the
// record from it, so the engine never imports the access log.
import type { FilterCollector } from "../request/context.ts";

type Owner = (type: string, field: string) => { agency: string };

export type AuditCollector = FilterCollector & {
  released: Map<string, string>;
  withheld: Map<string, { agency: string; rules: Set<string> }>;
  subjects: Set<string>;
  /** Owning agency to the subjects its released data was about. */
  seen: Map<string, Set<string>>;
  /**
   * Owning agency to the subjects it released something about: a value that says something (not
   * null, false, empty). Only these agencies are notified, never one that holds nothing on them.
   */
  held: Map<string, Set<string>>;
  flagged: Set<string>;
  /** onReleased for a field whose coordinate and owner are known beforehand (the compiled pass). */
  releasedAt(slot: FieldSlot, scope: string | undefined, value: unknown): void;
  /** onWithheld for such a field, with the rule that withheld it. */
  withheldAt(slot: FieldSlot, rule: string): void;
};

/** A field of a compiled pass, as the record names it: "Type.field" and its owning agency. */
export interface FieldSlot {
  key: string;
  agency: string;
}

/** A value that tells something about a person: not absent, not "no", not empty. */
const saysSomething = (value: unknown): boolean =>
  value !== null &&
  value !== undefined &&
  value !== false &&
  value !== "" &&
  !(Array.isArray(value) && value.length === 0) &&
  // Objects and lists of objects say what their own fields say, and those are judged one by one.
  !(typeof value === "object" && !Array.isArray(value)) &&
  !(Array.isArray(value) && value.every((v) => v !== null && typeof v === "object"));

const addTo = (map: Map<string, Set<string>>, agency: string, scope: string) => {
  let set = map.get(agency);
  if (!set) {
    set = new Set();
    map.set(agency, set);
  }
  set.add(scope);
};

const noOwner = () => "";

interface AgencyState {
  seen: Set<string>;
  last: string | undefined;
  lastHeld: string | undefined;
}

/** What the result filter saw for one request: fields released and withheld, subjects touched. */
export function createAuditCollector(ownerOf: Owner): AuditCollector {
  const released = new Map<string, string>();
  const withheld = new Map<string, { agency: string; rules: Set<string> }>();
  const subjects = new Set<string>();
  const seen = new Map<string, Set<string>>();
  const held = new Map<string, Set<string>>();
  const flagged = new Set<string>();
  // Per owning agency: its sets, and the person last added to each (the fields of one object
  // come one after another, so most adds are for the person just added).
  const agencies = new Map<string, AgencyState>();
  const stateOf = (agency: string) => {
    let state = agencies.get(agency);
    if (!state) {
      state = { seen: new Set(), last: undefined, lastHeld: undefined };
      agencies.set(agency, state);
      seen.set(agency, state.seen);
    }
    return state;
  };
  const release = (
    state: AgencyState,
    agency: string,
    scope: string | undefined,
    value: unknown,
  ) => {
    if (scope === undefined) return;
    if (state.last !== scope) {
      subjects.add(scope);
      state.seen.add(scope);
      state.last = scope;
    }
    if (state.lastHeld !== scope && saysSomething(value)) {
      addTo(held, agency, scope);
      state.lastHeld = scope;
    }
  };
  const bySlot = new Map<FieldSlot, AgencyState>();
  const withhold = (key: string, rule: string, agency: string | undefined, of: () => string) => {
    let entry = withheld.get(key);
    if (!entry) {
      entry = { agency: agency ?? of(), rules: new Set() };
      withheld.set(key, entry);
    }
    entry.rules.add(rule);
  };
  return {
    released,
    withheld,
    subjects,
    seen,
    held,
    flagged,
    onReleased(type, field, scope, value) {
      const key = `${type}.${field}`;
      let agency = released.get(key);
      if (agency === undefined) {
        agency = ownerOf(type, field).agency;
        released.set(key, agency);
      }
      release(stateOf(agency), agency, scope, value);
    },
    releasedAt(slot, scope, value) {
      let state = bySlot.get(slot);
      if (!state) {
        if (!released.has(slot.key)) released.set(slot.key, slot.agency);
        state = stateOf(slot.agency);
        bySlot.set(slot, state);
      }
      release(state, slot.agency, scope, value);
    },
    onWithheld(type, field, error) {
      const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
      const rule = typeof extensions?.rule === "string" ? extensions.rule : "error";
      withhold(`${type}.${field}`, rule, undefined, () => ownerOf(type, field).agency);
    },
    withheldAt(slot, rule) {
      withhold(slot.key, rule, slot.agency, noOwner);
    },
    onFlagged(scope) {
      flagged.add(scope);
    },
  };
}
