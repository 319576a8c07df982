import type { ErrorObject } from "ajv";

/**
 * A JSON-schema error as a problem can say it: the YAML path it points at (for its line), and a
 * sentence naming where ("rules.3.roles", or "the file") with what was wrong.
 */
export function describeSchemaError(e: ErrorObject): {
  path: (string | number)[];
  message: string;
} {
  const path = e.instancePath
    .split("/")
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "the file";
  const extra =
    e.keyword === "additionalProperties"
      ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")`
      : e.keyword === "enum"
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")})`
        : "";
  return { path, message: `${where} ${e.message}${extra}` };
}
