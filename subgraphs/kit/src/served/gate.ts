import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { Logger } from "../logger.ts";
import { bodyDigest } from "../trust/body-digest.ts";
import {
  CONTEXT_HEADER,
  ContextRefused,
  type ContextVerifier,
  type VerifiedContext,
} from "../trust/context.ts";
import type { OperationFacts } from "./operation-facts.ts";
import type { ServedLog } from "./served-log.ts";

/** A request let through: its verified context, and when it arrived. */
export interface Admitted {
  verified: VerifiedContext;
  at: string;
}

export type Refuse = (status: number, message: string, code: string) => void;

/**
 * Where a subgraph decides whether a request was sealed by the gateway for exactly this body,
 * and records the decision in its served log: every refusal with its reason, every request
 * served with what it asked for. A subgraph whose log cannot keep up stops serving.
 */
export function createGate(options: { verify: ContextVerifier; log: ServedLog; logger: Logger }) {
  const { verify, log, logger } = options;
  return {
    async admit(
      req: IncomingMessage,
      body: Buffer,
      refuse: Refuse,
      what: string,
    ): Promise<Admitted | undefined> {
      const at = new Date().toISOString();
      if (!log.accepting) {
        logger.error(`refused ${what}: the served log is not being written`);
        refuse(
          503,
          "This subgraph cannot record what it serves just now; try again shortly.",
          "UNAVAILABLE",
        );
        return undefined;
      }
      const header = req.headers[CONTEXT_HEADER];
      try {
        const verified = await verify(Array.isArray(header) ? header.join(",") : header, body);
        return { verified, at };
      } catch (error) {
        if (!(error instanceof ContextRefused)) throw error;
        // Only what the gateway signed is worth recording; a forged token's claims are the forger's.
        const signed = error.context;
        log.record({
          at,
          outcome: "refused",
          reason: error.reason,
          rid: signed?.rid ?? null,
          jti: signed?.jti ?? null,
          body_digest: bodyDigest(body),
          sub: signed?.sub ?? null,
          roles: null,
          enquiry: null,
          operation: null,
          root_fields: null,
          query_hash: null,
          entities: 0,
          status: error.reason === "overloaded" ? 503 : 401,
        });
        logger.warn(`refused ${what} without a valid gateway context`, {
          reason: error.reason,
          ...(signed ? { rid: signed.rid } : {}),
        });
        if (error.reason === "overloaded") refuse(503, error.message, "UNAVAILABLE");
        else refuse(401, error.message, "UNAUTHENTICATED");
        return undefined;
      }
    },

    /** A request admitted but then not served (a GraphQL GET, say), with why. */
    refused(admitted: Admitted, reason: string, status: number): void {
      log.record({ ...entryOf(admitted), outcome: "refused", reason, status });
    },

    served(admitted: Admitted, facts: OperationFacts, status: number): void {
      log.record({
        ...entryOf(admitted),
        operation: facts.operation,
        root_fields: facts.rootFields,
        query_hash: facts.queryHash,
        entities: facts.entities,
        status,
      });
    },
  };
}

const entryOf = ({ verified, at }: Admitted) => ({
  at,
  outcome: "served" as const,
  reason: null,
  rid: verified.caller.rid,
  jti: verified.jti,
  body_digest: verified.bodyDigest,
  sub: verified.caller.sub,
  roles: [...verified.caller.roles].sort().join(","),
  enquiry: verified.caller.enquiry ?? null,
  operation: null,
  root_fields: null,
  query_hash: null,
  entities: 0,
  status: null,
});

export class BodyTooLarge extends Error {}

/** The body as it came, byte for byte (the digest is over these), refusing past the limit. */
export async function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limitBytes)
    throw new BodyTooLarge(`Request body is ${declared} bytes; the limit is ${limitBytes}.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes)
      throw new BodyTooLarge(`Request body is over the limit of ${limitBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The request again, its body already read (and checked against its context): for a handler
 * that reads the body itself. It has the original's method, URL and headers.
 */
export function withBody(req: IncomingMessage, body: Buffer): IncomingMessage {
  const again = Readable.from([body]);
  return Object.assign(again, {
    headers: req.headers,
    method: req.method,
    url: req.url,
  }) as unknown as IncomingMessage;
}
