import type { IncomingMessage } from "node:http";
import type { Logger } from "@mash/kit";
import { GatewayError } from "../errors/catalogue.ts";
import type { Principal } from "../request/context.ts";

/** What goes back to the client: held until every stage's after-hook has run. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Its text, or its UTF-8 bytes (the graph's answers, result-json.ts's resultBytes). */
  body: string | Uint8Array;
}

/** What the transport stage hands the stages after it: the request as GraphQL over HTTP has it. */
export interface GraphQLPayload {
  /** The parsed JSON body of a POST, its raw text when it is not JSON, undefined for GET. */
  body: unknown;
  /** The query, operation name and variables, when the request carries them where they belong. */
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

/**
 * One request as the stages see it. A stage reads what earlier stages set and sets its own part;
 * the stage that ends the request sets `reply` (an answer) or throws a GatewayError (a refusal).
 */
export interface PipelineRequest<C> {
  readonly req: IncomingMessage;
  readonly requestId: string;
  /** The client's address, as the socket gives it. */
  readonly address: string;
  principal?: Principal;
  /** The context the GraphQL stage runs with, once authentication and purpose are settled. */
  context?: C;
  /** The refusal that ended the request, if one did. */
  refusal?: GatewayError;
  payload?: GraphQLPayload;
  reply?: Reply;
}

/** What a stage hands back to run after the request ended, in reverse order (envelop's style). */
export type AfterHook<C> = (request: PipelineRequest<C>) => Promise<void> | void;

/** One concern on the request path: `useX`, a name and a hook. */
export interface Stage<C> {
  name: string;
  onRequest(
    request: PipelineRequest<C>,
  ): Promise<AfterHook<C> | undefined> | AfterHook<C> | undefined;
}

export function replyJson(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

export const replyFor = (error: GatewayError): Reply =>
  replyJson(error.status, error.body(), error.headers);

const internalError = (requestId: string): Reply =>
  replyJson(500, {
    errors: [
      {
        message: `Internal error: the request could not be completed. Quote the X-Request-Id (${requestId}) to support.`,
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      },
    ],
  });

/**
 * Runs a request through the stages in order until one ends it, then every after-hook of the
 * stages that ran, last first, whatever ended it: a refusal passes the access log and the metrics
 * exactly as an answer does. The reply is returned only after the last hook, so nothing leaves
 * before its record is written (an after-hook may replace the reply: fail closed).
 */
export function createPipeline<C>(stages: readonly Stage<C>[], logger: Logger) {
  return async (request: PipelineRequest<C>): Promise<Reply> => {
    const after: AfterHook<C>[] = [];
    try {
      for (const stage of stages) {
        const hook = await stage.onRequest(request);
        if (hook) after.push(hook);
        if (request.reply) break;
      }
    } catch (error) {
      settle(request, error, logger);
    }
    if (!request.reply) settle(request, new Error("no stage answered the request"), logger);
    for (const hook of after.reverse()) {
      try {
        await hook(request);
      } catch (error) {
        // An after-hook that fails leaves no answer behind it: the client gets the fault.
        logger.error("a request stage failed after the request ended", {
          rid: request.requestId,
          error: (error as Error).message,
        });
        request.reply = internalError(request.requestId);
      }
    }
    return request.reply as Reply;
  };
}

function settle<C>(request: PipelineRequest<C>, error: unknown, logger: Logger) {
  if (error instanceof GatewayError) {
    request.refusal = error;
    request.reply = replyFor(error);
    return;
  }
  logger.error("request failed", { rid: request.requestId, error: (error as Error).message });
  request.reply = internalError(request.requestId);
}

/**
 * The first error code in a GraphQL-shaped body, for the record of a refusal: what
 * `JSON.parse(body).errors[0].extensions.code` gives, without parsing an answer's data (often
 * 100 KB and more) to get it. Every body here is written by JSON.stringify, ours or Apollo's:
 * a body without the text "errors" has no errors key, and Apollo writes `errors` first, so an
 * answer's first error is at its head. Any other shape is parsed whole, as before.
 */
export function firstErrorCode(reply: Reply): string | undefined {
  const { body } = reply;
  if (typeof body === "string")
    return body.includes('"errors"') ? firstCodeIn(body, () => body) : undefined;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (!bytes.includes('"errors"')) return undefined;
  // The first error is at the head of an answer; the whole is decoded only when it is not.
  return firstCodeIn(bytes.toString("utf8", 0, Math.min(bytes.length, HEAD_BYTES)), () =>
    bytes.toString("utf8"),
  );
}

/** Enough of an answer's bytes to hold its first error (a withheld field's is some 750). */
const HEAD_BYTES = 8192;

/** `head` is the start of the body (all of it, or its first HEAD_BYTES), `whole` the body. */
function firstCodeIn(head: string, whole: () => string): string | undefined {
  const first = head.startsWith(ERRORS_FIRST) ? objectAt(head, ERRORS_FIRST.length) : undefined;
  if (first !== undefined) {
    try {
      return codeOf(JSON.parse(first));
    } catch {}
  }
  const body = whole();
  if (!body.includes('"errors"')) return undefined;
  try {
    return codeOf((JSON.parse(body) as { errors?: unknown[] }).errors?.[0]);
  } catch {
    return undefined;
  }
}

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === "string" ? code : undefined;
};

const ERRORS_FIRST = '{"errors":[';

/** The JSON object starting at `start` (its text), or undefined when there is none there. */
function objectAt(text: string, start: number): string | undefined {
  if (text.charCodeAt(start) !== 0x7b /* { */) return undefined;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string: to the next quote that no backslash escapes.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++)
        if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x7b || c === 0x5b /* { [ */) depth++;
    else if ((c === 0x7d || c === 0x5d) /* } ] */ && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}
