import type { IncomingMessage } from "node:http";
import { BodyTooLarge, readRawBody } from "../served/gate.ts";

/** The largest body a subgraph reads: an `_entities` call naming every subject of a long list. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * The body as it came, read before anything else: the context is checked against it. Undefined
 * once `refuse` has answered (the body is too large).
 */
export async function readBodyOrRefuse(
  req: IncomingMessage,
  refuse: (message: string) => void,
): Promise<Buffer | undefined> {
  try {
    return await readRawBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    refuse(error.message);
    return undefined;
  }
}
