/**
 * The process tabs follow one enquiry from contact to decision, and a later step needs the id an
 * earlier one returned (the contact RecordContact recorded, the enquiry OpenEnquiryFromContact
 * opened). Those ids exist only once the earlier step has run, so a tab's example names the step
 * instead, and the console fills in the id that step last returned in this browser tab.
 */

const PREFIX = "<id returned by ";
const PLACEHOLDER = /^<id returned by (\w+)>$/;

/** Stands for the id an earlier step returned: the walk-through runs the steps in TAB_ORDER. */
export const returnedBy = (operation: string) => `${PREFIX}${operation}>`;

/** The steps a value's placeholders name, in the order they first appear. */
export function stepsNamedIn(value: unknown): string[] {
  const steps = new Set<string>();
  walk(value, (text) => {
    const step = PLACEHOLDER.exec(text)?.[1];
    if (step) steps.add(step);
    return text;
  });
  return [...steps];
}

export interface FilledVariables {
  /** The variables with every placeholder that could be filled replaced by its id. */
  readonly variables: unknown;
  /** Each placeholder filled, with the id it stands for, for the console to say what it sent. */
  readonly filled: ReadonlyArray<{ readonly step: string; readonly id: string }>;
  /** Steps named by a placeholder that have not returned an id in this browser tab yet. */
  readonly missing: readonly string[];
}

/** Replaces each `<id returned by Step>` string, at any depth, by the id Step last returned. */
export function fillReturnedIds(
  variables: unknown,
  returned: ReadonlyMap<string, string>,
): FilledVariables {
  const filled = new Map<string, string>();
  const missing = new Set<string>();
  const replaced = walk(variables, (text) => {
    const step = PLACEHOLDER.exec(text)?.[1];
    if (!step) return text;
    const id = returned.get(step);
    if (id === undefined) {
      missing.add(step);
      return text;
    }
    filled.set(step, id);
    return id;
  });
  return {
    variables: replaced,
    filled: [...filled].map(([step, id]) => ({ step, id })),
    missing: [...missing],
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The id an operation's answer returned, if it has one: the `id` of its single root field
 * (`recordContact { id }`, `openEnquiry { id }`). Remembered under the operation's name, so the
 * step that named it by placeholder finds it; any other answer leaves `returned` unchanged.
 */
export function rememberReturnedId(
  operationName: string | undefined,
  body: unknown,
  returned: Map<string, string>,
): string | undefined {
  if (!operationName || !isRecord(body) || !isRecord(body.data)) return undefined;
  const roots = Object.values(body.data);
  const [root] = roots;
  if (roots.length !== 1 || !isRecord(root) || typeof root.id !== "string") return undefined;
  returned.set(operationName, root.id);
  return root.id;
}

function walk(value: unknown, onString: (text: string) => string): unknown {
  if (typeof value === "string") return value.startsWith(PREFIX) ? onString(value) : value;
  if (Array.isArray(value)) return value.map((item) => walk(item, onString));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, walk(item, onString)]),
    );
  }
  return value;
}
