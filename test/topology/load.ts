import { Agent, request as httpRequest } from "node:http";
import type { Socket } from "node:net";
import { acknowledged } from "./graphql-client.ts";
import { type Identities, SOCIAL_WORKER } from "./identities.ts";

export interface Outcome {
  n: number;
  /** Which of the load's connections (workers) sent it. */
  worker: number;
  kind: "read" | "mutation";
  operation: string;
  sentAt: number;
  doneAt: number;
  /** 0 when no HTTP answer came at all. */
  status: number;
  servedBy: string | null;
  requestId: string | null;
  ok: boolean;
  problem?: string;
}

export interface Load {
  outcomes: Outcome[];
  /**
   * Holds new requests back while `during` runs (a kill), and says which requests were in flight
   * then, each with the local port of the connection it went on: HAProxy's `show sess` names
   * the gateway of each client connection by that port.
   */
  pause<T>(during: (inFlight: Map<number, number | undefined>) => Promise<T>): Promise<T>;
  stop(): Promise<Outcome[]>;
}

const SUBJECTS = ["S-1001", "S-1002", "S-1003", "S-1004", "S-1006", "S-1007"];

/** A read over the hub and three agencies, and (every `mutationEvery`th) a contact recorded. */
function operationFor(n: number, mutationEvery: number) {
  const subject = SUBJECTS[n % SUBJECTS.length] as string;
  if (n % mutationEvery === mutationEvery - 1) {
    const operation = `TopologyContact_${n}`;
    return {
      kind: "mutation" as const,
      operation,
      query: `mutation ${operation}($input: RecordContactInput!) { recordContact(input: $input) { id } }`,
      variables: {
        input: {
          referrer: { kind: "PUBLIC", name: "A neighbour", howToReach: "07700 900123" },
          concern: "Child heard crying late at night",
          consentSought: false,
          consentReason: "The referrer asked not to be named to the family",
          subjectIds: [subject],
        },
      },
    };
  }
  const operation = `TopologyRead_${n}`;
  return {
    kind: "read" as const,
    operation,
    query: `query ${operation}($id: ID!) { subject(id: $id) { id name { given family }
      police { known } health { known } education { known } } }`,
    variables: { id: subject },
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One POST on the worker's own keep-alive connection; `onSocket` learns which connection. */
function post(
  url: URL,
  agent: Agent,
  headers: Record<string, string>,
  body: string,
  onSocket: (socket: Socket) => void,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error("no answer within 15 s")));
    req.on("socket", onSocket);
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Keeps `concurrency` requests in flight through `url` until stopped, each worker on a
 * keep-alive connection of its own, each request by a user of its own (the budget check leaves
 * every user only a small rate budget), and records for each when it was sent and answered, by
 * which gateway (X-Served-By), and how.
 */
export function startLoad(options: {
  url: string;
  concurrency: number;
  identities: Identities;
  mutationEvery: number;
}): Load {
  const url = new URL(options.url);
  const outcomes: Outcome[] = [];
  const inFlight = new Map<number, Socket | undefined>();
  let next = 0;
  let stopping = false;
  let held: Promise<unknown> | undefined;
  const worker = async (worker: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (!stopping) {
        const { token } = await options.identities.fresh(SOCIAL_WORKER);
        // Checked last before sending, with nothing awaited in between: none starts in a pause.
        while (held) await held;
        const n = next++;
        const r = operationFor(n, options.mutationEvery);
        const sentAt = Date.now();
        inFlight.set(n, undefined);
        const base = { n, worker, kind: r.kind, operation: r.operation, sentAt };
        try {
          const answer = await post(
            url,
            agent,
            {
              "content-type": "application/json",
              authorization: `Bearer ${token}`,
              "x-topology-request": String(n),
            },
            JSON.stringify({ query: r.query, variables: r.variables }),
            (socket) => inFlight.set(n, socket),
          );
          const header = (name: string) => {
            const v = answer.headers[name];
            return typeof v === "string" ? v : null;
          };
          let data: unknown;
          let errors: unknown;
          try {
            ({ data, errors } = JSON.parse(answer.body) as { data?: unknown; errors?: unknown });
          } catch {}
          const requestId = header("x-request-id");
          if (answer.status === 200 && requestId) acknowledged.set(requestId, r.operation);
          const ok = answer.status === 200 && data != null && errors === undefined;
          outcomes.push({
            ...base,
            doneAt: Date.now(),
            status: answer.status,
            servedBy: header("x-served-by"),
            requestId,
            ok,
            ...(ok ? {} : { problem: answer.body.slice(0, 300) }),
          });
        } catch (error) {
          const code = (error as { code?: string }).code;
          outcomes.push({
            ...base,
            doneAt: Date.now(),
            status: 0,
            servedBy: null,
            requestId: null,
            ok: false,
            problem: `${(error as Error).message}${code ? ` (${code})` : ""}`,
          });
        } finally {
          inFlight.delete(n);
        }
      }
    } finally {
      agent.destroy();
    }
  };
  const workers = Array.from({ length: options.concurrency }, (_, i) => worker(i));
  return {
    outcomes,
    async pause(during) {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        // Requests just sent get their connection on the next turn of the event loop.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const ports = new Map([...inFlight].map(([n, socket]) => [n, socket?.localPort]));
        return await during(ports);
      } finally {
        release();
        held = undefined;
      }
    },
    stop: async () => {
      stopping = true;
      await Promise.all(workers);
      return outcomes;
    },
  };
}
