import type { ErrorObject } from "ajv";
import type { RawPolicyFile } from "./check-rules.ts";
import type { YamlFile } from "./read-yaml.ts";
import type { PolicyProblem } from "./types.ts";

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
  // A pattern says what it wants in the schema's own words (`patternMessage`, which Ajv leaves
  // alone): "must be an email address", not the regular expression. Needs Ajv's `verbose`.
  const said = e.keyword === "pattern" ? patternMessageOf(e) : undefined;
  if (said) return { path, message: `${where} ${said}; got ${JSON.stringify(e.data)}` };
  const extra =
    e.keyword === "additionalProperties"
      ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")`
      : e.keyword === "enum"
        ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")})`
        : "";
  return { path, message: `${where} ${e.message}${extra}` };
}

function patternMessageOf(e: ErrorObject): string | undefined {
  const parent = e.parentSchema as { patternMessage?: unknown } | undefined;
  return typeof parent?.patternMessage === "string" ? parent.patternMessage : undefined;
}

/** A file's JSON-schema errors as problems, each at its line and, in an agency file, its rule. */
export function schemaProblems(
  file: YamlFile,
  errors: ErrorObject[] | null | undefined,
): PolicyProblem[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== "if" && e.keyword !== "oneOf")
    .map((e) => {
      const { path, message } = describeSchemaError(e);
      const ruleIndex = path[0] === "rules" && typeof path[1] === "number" ? path[1] : undefined;
      const ruleId =
        ruleIndex !== undefined
          ? ((file.value as RawPolicyFile).rules?.[ruleIndex]?.id ?? `#${ruleIndex + 1}`)
          : undefined;
      // An unknown key is pointed at itself; a missing one at the key of the map that lacks it.
      const extra =
        e.keyword === "additionalProperties"
          ? (e.params as { additionalProperty: string }).additionalProperty
          : undefined;
      const line =
        extra !== undefined
          ? file.keyLineOf([...path, extra])
          : e.keyword === "required" && path.length
            ? file.keyLineOf(path)
            : file.lineOf(path);
      return {
        file: file.file,
        line,
        rule: ruleId,
        message,
      };
    });
}
