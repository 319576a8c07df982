// The simulation's shapes in gateway/src/governance/schema.graphql, by hand as in types.ts.
import type { PolicyProblem } from "./types.ts";

export type SimulationPurpose = "OUTSIDE" | "IN_ENQUIRY" | "BREAK_GLASS";

export interface SimulationAttribute {
  readonly field: string;
  readonly value: string | null;
}

/** A hypothetical record: the officer gives its values, never a real person's id. */
export interface SimulationInput {
  readonly roles: readonly string[];
  readonly purpose: SimulationPurpose;
  readonly type: string;
  readonly attributes: readonly SimulationAttribute[];
  readonly text?: string;
}

export interface SimulatedField {
  readonly field: string;
  readonly visible: boolean;
  readonly rule: string;
  readonly reason: string;
  readonly toldRule: string | null;
}

export interface Simulation {
  readonly problems: readonly PolicyProblem[];
  readonly type: string;
  readonly roles: readonly string[];
  readonly purpose: SimulationPurpose;
  readonly inEnquiry: boolean;
  readonly breakGlass: boolean;
  readonly listed: boolean;
  readonly unlistedBy: string | null;
  readonly attributes: readonly SimulationAttribute[];
  readonly fields: readonly SimulatedField[];
}

export interface SimulationAttributeKind {
  readonly field: string;
  readonly kind: string;
  readonly list: boolean;
  readonly values: readonly string[];
}

export interface SimulationExample {
  readonly name: string;
  readonly roles: readonly string[];
  readonly purpose: SimulationPurpose;
  readonly attributes: readonly SimulationAttribute[];
}

export interface SimulationType {
  readonly type: string;
  readonly fields: readonly string[];
  readonly attributes: readonly SimulationAttributeKind[];
  readonly examples: readonly SimulationExample[];
}

export interface SimulationOptions {
  readonly types: readonly SimulationType[];
  readonly testProblems: readonly PolicyProblem[];
}
