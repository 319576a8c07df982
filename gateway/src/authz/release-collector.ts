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

interface AgencyState {
  seen: Set<string>;
  last: string | undefined;
  lastHeld: string | undefined;
}

/** What the result filter saw for one request: fields released and withheld, subjects touched. */
export function createAuditCollector(ownerOf: Owner): AuditCollector {
  return new Collector(ownerOf);
}

/**
 * A class rather than closures made per request: one per request is made, and each closure
 * made would be named on the way (keepNames, in tsx and the bundles) on the event loop.
 */
class Collector implements AuditCollector {
  readonly released = new Map<string, string>();
  readonly withheld = new Map<string, { agency: string; rules: Set<string> }>();
  readonly subjects = new Set<string>();
  readonly seen = new Map<string, Set<string>>();
  readonly held = new Map<string, Set<string>>();
  readonly flagged = new Set<string>();
  // Per owning agency: its sets, and the person last added to each (the fields of one object
  // come one after another, so most adds are for the person just added).
  private readonly agencies = new Map<string, AgencyState>();
  private readonly bySlot = new Map<FieldSlot, AgencyState>();

  constructor(private readonly ownerOf: Owner) {}

  private stateOf(agency: string): AgencyState {
    let state = this.agencies.get(agency);
    if (!state) {
      state = { seen: new Set(), last: undefined, lastHeld: undefined };
      this.agencies.set(agency, state);
      this.seen.set(agency, state.seen);
    }
    return state;
  }

  private release(state: AgencyState, agency: string, scope: string | undefined, value: unknown) {
    if (scope === undefined) return;
    if (state.last !== scope) {
      this.subjects.add(scope);
      state.seen.add(scope);
      state.last = scope;
    }
    if (state.lastHeld !== scope && saysSomething(value)) {
      addTo(this.held, agency, scope);
      state.lastHeld = scope;
    }
  }

  private withheldEntry(key: string, agency: string) {
    const entry = { agency, rules: new Set<string>() };
    this.withheld.set(key, entry);
    return entry;
  }

  onReleased(type: string, field: string, scope: string | undefined, value: unknown) {
    const key = `${type}.${field}`;
    let agency = this.released.get(key);
    if (agency === undefined) {
      agency = this.ownerOf(type, field).agency;
      this.released.set(key, agency);
    }
    this.release(this.stateOf(agency), agency, scope, value);
  }

  releasedAt(slot: FieldSlot, scope: string | undefined, value: unknown) {
    let state = this.bySlot.get(slot);
    if (!state) {
      if (!this.released.has(slot.key)) this.released.set(slot.key, slot.agency);
      state = this.stateOf(slot.agency);
      this.bySlot.set(slot, state);
    }
    this.release(state, slot.agency, scope, value);
  }

  onWithheld(type: string, field: string, error: unknown) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
    const rule = typeof extensions?.rule === "string" ? extensions.rule : "error";
    const key = `${type}.${field}`;
    // The owner is looked up the first time the field is withheld only.
    const entry =
      this.withheld.get(key) ?? this.withheldEntry(key, this.ownerOf(type, field).agency);
    entry.rules.add(rule);
  }

  withheldAt(slot: FieldSlot, rule: string) {
    const entry = this.withheld.get(slot.key) ?? this.withheldEntry(slot.key, slot.agency ?? "");
    entry.rules.add(rule);
  }

  onFlagged(scope: string) {
    this.flagged.add(scope);
  }
}
