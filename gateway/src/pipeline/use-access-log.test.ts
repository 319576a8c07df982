import { createLogger } from "@mash/kit";
import { describe, expect, it } from "vitest";
import { createAuditCollector } from "../audit/collect.ts";
import type { AuditEntry } from "../audit/record.ts";
import type { RefusalAggregates } from "../audit/refusal-aggregates.ts";
import type { GatewayContext } from "../request/context.ts";
import { graphRecord } from "./graph-record.ts";
import type { PipelineRequest, Reply } from "./pipeline.ts";
import { useAccessLog } from "./use-access-log.ts";

/** A reply whose body counts its readers: finding a refusal code reads it, a record need not. */
function countedReply(status: number, body: string) {
  const reads = { count: 0 };
  const reply = { status, headers: {} } as Reply;
  Object.defineProperty(reply, "body", {
    get: () => {
      reads.count++;
      return body;
    },
  });
  return { reply, reads };
}

const principal = { id: "sw.patel", agency: "childrens-services", roles: ["social_worker"] };

function answeredRequest(reply: Reply): PipelineRequest<GatewayContext<unknown>> {
  const collected = createAuditCollector(() => ({ agency: "mash" }));
  collected.onReleased("Subject", "id", "S-1001", "S-1001");
  const context = {
    requestId: "r-1",
    principal,
    enquiryId: "ENQ-2001",
    breakGlassReason: undefined,
    outcome: {
      answered: {
        operationName: "List",
        queryText: "query List { subjects { id } }",
        collected,
        hasErrors: true,
        hasData: true,
        withheldByAgency: new Map(),
      },
    },
  } as unknown as GatewayContext<unknown>;
  return {
    req: {} as never,
    requestId: "r-1",
    address: "127.0.0.1",
    principal: principal as never,
    context,
    reply,
  };
}

async function record(request: PipelineRequest<GatewayContext<unknown>>) {
  const written: AuditEntry[] = [];
  const stage = useAccessLog<GatewayContext<unknown>>({
    audit: {
      append: async (entry) => {
        written.push(entry);
        return written.length;
      },
      close: async () => {},
    },
    aggregates: { count: () => {} } as unknown as RefusalAggregates,
    logger: createLogger("test", "silent"),
    api: "graph",
    entryFor: graphRecord,
  });
  const after = await stage.onRequest(request);
  await after?.(request);
  return written;
}

const answer = `${JSON.stringify({
  errors: [
    {
      message: "withheld",
      path: ["subjects", 0, "address"],
      extensions: { code: "UNAUTHORIZED_FIELD_OR_TYPE" },
    },
  ],
  data: { subjects: [{ id: "S-1001", address: null }] },
})}\n`;

describe("the access log's record of an answer", () => {
  it("is written without reading the reply when the answer went out as answered", async () => {
    const { reply, reads } = countedReply(200, answer);
    const [entry] = await record(answeredRequest(reply));
    expect(entry?.outcome).toBe("partial");
    expect(entry?.refusal).toBeUndefined();
    expect(reads.count).toBe(0);
  });

  it("names the reply's first error code when a later stage turned it into a refusal", async () => {
    const refused = `${JSON.stringify({ errors: [{ message: "x", extensions: { code: "AUDIT_UNAVAILABLE" } }] })}\n`;
    const { reply, reads } = countedReply(503, refused);
    const [entry] = await record(answeredRequest(reply));
    expect(entry).toMatchObject({ outcome: "refused", refusal: "AUDIT_UNAVAILABLE" });
    expect(reads.count).toBeGreaterThan(0);
  });
});
