/**
 * The console's own call to the gateway: the list of open enquiries for the purpose picker, sent
 * as every app sends (shared/graphql-request.ts). GraphiQL's requests go through fetcher.ts.
 */

import { graphqlAnswer } from "../shared/graphql-request.ts";
import { messageOf } from "../shared/message-of.ts";
import { orderByUrgency } from "./enquiry-order.ts";

export const GRAPHQL_ENDPOINT = "/graphql";
export interface OpenEnquiry {
  readonly id: string;
  readonly rag: string;
  readonly reason: string;
  /** When the decision is due by the RAG timescale; null where the hub has none. */
  readonly dueBy?: string | null;
  readonly openedAt?: string | null;
  /** True while it is open and past dueBy. */
  readonly overdue?: boolean | null;
}

export type EnquiryList =
  | { readonly status: "ready"; readonly enquiries: readonly OpenEnquiry[] }
  /** The sharing rules withhold the list from this role (a governance officer, say). */
  | { readonly status: "withheld"; readonly message: string }
  | { readonly status: "error"; readonly message: string };

/**
 * Only the enquiries the user's agency takes part in: they alone grant a purpose, and the
 * agreement shows their rating and reason; any other's would come back withheld. The hub lists
 * newest first and allows at most 500; the console reorders them by urgency (enquiry-order.ts).
 */
export const OPEN_ENQUIRIES_QUERY =
  "query ConsoleOpenEnquiries { enquiries(status: OPEN, takingPart: true, first: 500) " +
  "{ id rag reason openedAt dueBy overdue } }";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isString = (value: unknown): value is string => typeof value === "string";
const isOptional = <T>(value: unknown, is: (value: unknown) => value is T) =>
  value === undefined || value === null || is(value);
const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";

interface GraphQLError {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown; reason?: unknown };
}

/**
 * Reads the answer to OPEN_ENQUIRIES_QUERY, most urgent first; a withheld field is an expected
 * answer, not a fault.
 */
export function parseEnquiries(data: unknown, errorList: readonly unknown[]): EnquiryList {
  const errors = errorList.filter(isRecord) as GraphQLError[];
  const list = isRecord(data) ? data.enquiries : undefined;
  if (Array.isArray(list)) {
    const enquiries = list.filter(
      (item): item is OpenEnquiry =>
        isRecord(item) &&
        isString(item.id) &&
        isString(item.rag) &&
        isString(item.reason) &&
        isOptional(item.dueBy, isString) &&
        isOptional(item.openedAt, isString) &&
        isOptional(item.overdue, isBoolean),
    );
    return { status: "ready", enquiries: orderByUrgency(enquiries) };
  }
  const withheld = errors.find((error) => error.extensions?.code === "UNAUTHORIZED_FIELD_OR_TYPE");
  if (withheld) {
    const reason = withheld.extensions?.reason ?? withheld.message;
    return {
      status: "withheld",
      message: isString(reason) ? reason : "Withheld by the sharing rules",
    };
  }
  const [first] = errors;
  if (first && isString(first.message)) return { status: "error", message: first.message };
  return { status: "error", message: "The gateway answered without a list" };
}

export async function fetchOpenEnquiries(
  authorization: string,
  signal?: AbortSignal,
): Promise<EnquiryList> {
  try {
    const answer = await graphqlAnswer({
      endpoint: GRAPHQL_ENDPOINT,
      authorization,
      query: OPEN_ENQUIRIES_QUERY,
      signal,
    });
    return parseEnquiries(answer.data, answer.errors);
  } catch (error) {
    return { status: "error", message: messageOf(error) };
  }
}
