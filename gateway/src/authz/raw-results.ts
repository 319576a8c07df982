import * as resultShaping from "@apollo/gateway/dist/resultShaping.js";
import { type ExecutionResult, GraphQLError } from "graphql";

/** What executeQueryPlan hands its result shaping (resultShaping.js's computeResponse). */
interface ShapingArgs {
  variables: Record<string, unknown> | undefined;
  input: Record<string, unknown> | null | undefined;
  [other: string]: unknown;
}
type ComputeResponse = (args: ShapingArgs) => { data: unknown; errors: GraphQLError[] };

/**
 * A request whose answer the compiled pass builds straight from the fetched data: the shaping
 * Apollo skipped for it, kept so that it can still be done when the pass cannot answer.
 */
export interface RawRequest {
  /** The request's variables as the gateway is to see them: a copy, the request's key here. */
  readonly variables: Record<string, unknown>;
  /** Set when Apollo reached its result shaping and handed back the fetched data instead. */
  skipped?: ShapingArgs;
}

// Keyed by the variables object: it is the one thing of the request computeResponse is given.
const waiting = new WeakMap<object, RawRequest>();

const shapingModule = ((resultShaping as { default?: unknown }).default ?? resultShaping) as {
  computeResponse: ComputeResponse;
};
const original: ComputeResponse = shapingModule.computeResponse;

/**
 * Apollo's executeQueryPlan fetches into one merged object, then walks the operation over it to
 * build the response (resultShaping.js); the gateway then walks the client's operation again to
 * judge every field. For a request marked here the first walk is skipped: executeQueryPlan
 * returns the merged data as fetched, and the compiled pass builds and judges the answer from
 * it in one walk (filter-pass.ts, `raw`). executeQueryPlan calls computeResponse through its
 * module's exports, so replacing the export there is the hook; where it cannot be replaced (a
 * bundle that copied the export), nothing is skipped and every answer is shaped as before.
 */
function install(): boolean {
  const shaping: ComputeResponse = (args) => {
    const request = args.variables ? waiting.get(args.variables) : undefined;
    if (!request || !args.input) return original(args);
    waiting.delete(args.variables as object);
    request.skipped = args;
    return { data: args.input, errors: [] };
  };
  try {
    shapingModule.computeResponse = shaping;
  } catch {
    return false;
  }
  return shapingModule.computeResponse === shaping;
}

export const rawResultsAvailable = install();

/**
 * For the tests that prove the one walk is taken: how many answers it built. `enabled` off
 * (tests only) shapes every answer, as before the hook, for differential comparison.
 */
export const rawResults = { enabled: true, answered: 0 };

/** Marks a request for the one-walk answer; undefined where the hook is not in place. */
export function requestRaw(variables: Record<string, unknown> | undefined): RawRequest | undefined {
  if (!rawResultsAvailable || !rawResults.enabled) return undefined;
  const request: RawRequest = { variables: { ...variables } };
  waiting.set(request.variables, request);
  return request;
}

/**
 * The result executeQueryPlan would have returned had it shaped the data itself: its own
 * post-processing, step by step (executeQueryPlan.js, POST_PROCESSING), on the shaping it skipped.
 */
export function shapedResult(request: RawRequest, fetched: ExecutionResult): ExecutionResult {
  const args = request.skipped;
  if (!args) return fetched;
  const errors = fetched.errors ?? [];
  let data: unknown;
  try {
    const shaped = original(args);
    data = shaped.data;
    if (errors.length === 0 && shaped.errors.length > 0)
      return { extensions: { valueCompletion: shaped.errors }, data } as ExecutionResult;
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    if (error instanceof Error)
      return { errors: [new GraphQLError(error.message, { originalError: error })] };
    return { errors: [new GraphQLError("Unexpected error during query plan execution")] };
  }
  return (errors.length === 0 ? { data } : { errors, data }) as ExecutionResult;
}
