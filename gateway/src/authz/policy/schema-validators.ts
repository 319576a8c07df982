import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";

let validators: { roles: ValidateFunction; policy: ValidateFunction } | undefined;

/** The compiled JSON Schemas of roles.yaml and of an agency's file, read once from `dir`/schema. */
export function schemaValidators(dir: string) {
  if (validators) return validators;
  // verbose: a pattern's error carries its schema, whose patternMessage says what was wanted.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  const read = (name: string) =>
    JSON.parse(readFileSync(join(dir, "schema", name), "utf8")) as object;
  validators = {
    roles: ajv.compile(read("roles.schema.json")),
    policy: ajv.compile(read("policy.schema.json")),
  };
  return validators;
}
