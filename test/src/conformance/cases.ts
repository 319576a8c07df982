import { directives } from "./directives.case.ts";
import { fragments } from "./fragments.case.ts";
import type { FeatureCase } from "./harness.ts";
import { interfaceObject } from "./interface-object.case.ts";
import { interfaces } from "./interfaces.case.ts";
import { keys } from "./keys.case.ts";
import { lonelyInterface } from "./lonely-interface.case.ts";
import { override } from "./override.case.ts";
import { provides } from "./provides.case.ts";
import { requires } from "./requires.case.ts";
import { shareable } from "./shareable.case.ts";
import { unions } from "./unions.case.ts";

/** Every feature case, in the order the suite runs them. */
export const cases: FeatureCase[] = [
  interfaces,
  unions,
  fragments,
  interfaceObject,
  lonelyInterface,
  provides,
  override,
  shareable,
  requires,
  keys,
  directives,
];
