import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { generatePopulation, prng } from "@mash/kit";
import type { Backend } from "@mash/kit/testing";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Who does each step: the front door opens and asks, the asked agencies answer, the manager decides. */
const OPENER = "sw.patel";
const MANAGER = "mgr.okafor";
const ANSWERERS = { police: "pc.jones", health: "nurse.evans" } as const;
const ASKED = Object.keys(ANSWERERS) as (keyof typeof ANSWERERS)[];

const OPEN = `mutation BenchOpen($input: OpenEnquiryInput!) { openEnquiry(input: $input) { id } }`;
const ASK = `mutation BenchAsk($id: ID!, $agencies: [String!]!) {
  requestResearch(enquiryId: $id, agencies: $agencies) { id } }`;
const ANSWER = `mutation BenchAnswer($input: AnswerResearchInput!) { answerResearch(input: $input) { agency } }`;
const REPORT = `query BenchReport($from: DateTime!, $to: DateTime!) {
  mashPerformance(from: $from, to: $to) { decisions { total } } }`;
const CLOSE = `mutation BenchClose($id: ID!, $outcome: EnquiryOutcome!, $reason: String!) {
  closeEnquiry(id: $id, outcome: $outcome, reason: $reason) { id status } }`;

export type Step = "open" | "ask" | "answer" | "close";

export interface WorkflowResult {
  backend: Backend;
  practitioners: number;
  seconds: number;
  /** Enquiries taken from opening to decision. */
  workflows: number;
  operations: number;
  perSecond: number;
  steps: { step: Step; count: number; p50: number; p95: number; errors: number }[];
  /** Decisions in the manager's report (mashPerformance, through the gateway) for today. */
  reported: number | null;
  /** The first refusal or failure seen, to tell a broken step from a slow one. */
  firstError?: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Starts workflow-serve.ts on `backend` and waits for its URL and tokens. */
async function serve(backend: Backend, subjects: number) {
  const users = [OPENER, MANAGER, ...Object.values(ANSWERERS)];
  const server = spawn(process.execPath, ["--import", "tsx", "test/bench/workflow-serve.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      LOG_LEVEL: "error",
      BENCH_BACKEND: backend,
      BENCH_SUBJECTS: String(subjects),
      BENCH_USERS: users.join(","),
    },
  });
  const info = await new Promise<{ url: string; tokens: Record<string, string> }>(
    (resolve, reject) => {
      let buffer = "";
      server.stdout?.on("data", (d) => {
        buffer += d;
        const line = buffer.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line));
      });
      server.on("exit", (code) => reject(new Error(`workflow server exited (${code})`)));
    },
  );
  return { ...info, stop: () => server.kill("SIGTERM") };
}

/**
 * `practitioners` loops, each taking enquiry after enquiry through the gateway for `seconds`:
 * open (the front door) → ask police and health → each answers, together → the manager decides.
 * A refused step abandons that enquiry and starts the next; it is counted, never hidden.
 */
export async function benchWorkflow(
  backend: Backend,
  seconds: number,
  practitioners = 8,
  subjects = 200,
): Promise<WorkflowResult> {
  const system = await serve(backend, subjects);
  try {
    const people = generatePopulation({ subjects }).persons.map((p) => p.id);
    const times: Record<Step, number[]> = { open: [], ask: [], answer: [], close: [] };
    const errors: Record<Step, number> = { open: 0, ask: 0, answer: 0, close: 0 };
    let firstError: string | undefined;
    let workflows = 0;
    let timing = false;

    const call = async (
      step: Step,
      user: string,
      query: string,
      variables: Record<string, unknown>,
    ): Promise<Record<string, { id?: string }> | null> => {
      const t0 = performance.now();
      const response = await fetch(system.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${system.tokens[user]}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as {
        data?: Record<string, { id?: string }> | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      const ms = performance.now() - t0;
      const failed = response.status !== 200 || !body.data || body.errors?.length;
      if (timing) {
        if (failed) errors[step]++;
        else times[step].push(ms);
      }
      if (failed) {
        // The message and code only: they name the step's problem, never a record's values.
        const e = body.errors?.[0];
        firstError ??= `${step}: HTTP ${response.status} ${e?.extensions?.code ?? ""} ${e?.message ?? ""}`;
        return null;
      }
      return body.data ?? null;
    };

    const practitioner = async (n: number, until: number) => {
      const rng = prng(100 + n);
      while (performance.now() < until) {
        const opened = await call("open", OPENER, OPEN, {
          input: {
            reason: "Bench: school reports a concern about home",
            rag: rng.pick(["RED", "AMBER", "GREEN"]),
            subjectIds: [rng.pick(people)],
          },
        });
        const id = opened?.openEnquiry?.id;
        if (!id) continue;
        if (!(await call("ask", OPENER, ASK, { id, agencies: ASKED }))) continue;
        const answers = await Promise.all(
          ASKED.map((agency) =>
            call("answer", ANSWERERS[agency], ANSWER, {
              input: {
                enquiryId: id,
                nothingKnown: true,
                decision: "SHARE",
                decisionReason: "Nothing held that bears on this enquiry",
              },
            }),
          ),
        );
        if (answers.some((a) => !a)) continue;
        const closed = await call("close", MANAGER, CLOSE, {
          id,
          outcome: rng.pick(["NO_FURTHER_ACTION", "INFORMATION_AND_ADVICE"]),
          reason: "Bench: no further action, the answers raise no concern",
        });
        if (closed && timing) workflows++;
      }
    };

    // A second untimed, so connections, plans and the gateway's caches are warm.
    const warm = performance.now() + 1000;
    await Promise.all(Array.from({ length: practitioners }, (_, n) => practitioner(n, warm)));
    timing = true;
    firstError = undefined;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: practitioners }, (_, n) => practitioner(n, started + seconds * 1000)),
    );
    const elapsed = (performance.now() - started) / 1000;
    // The manager's report for today, through the gateway: it counts the warm-up's decisions too.
    timing = false;
    const day = new Date().toISOString().slice(0, 10);
    const report = (await call("close", MANAGER, REPORT, {
      from: `${day}T00:00:00Z`,
      to: new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString(),
    })) as { mashPerformance?: { decisions: { total: number }[] } } | null;
    const reported = report?.mashPerformance
      ? report.mashPerformance.decisions.reduce((n, d) => n + d.total, 0)
      : null;
    const steps = (["open", "ask", "answer", "close"] as const).map((step) => {
      const sorted = times[step].sort((a, b) => a - b);
      return {
        step,
        count: sorted.length,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        errors: errors[step],
      };
    });
    const operations = steps.reduce((n, s) => n + s.count, 0);
    return {
      backend,
      practitioners,
      seconds: elapsed,
      workflows,
      operations,
      perSecond: operations / elapsed,
      steps,
      reported,
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    system.stop();
  }
}
