import { createServer } from "node:net";
import { portFrom } from "../subgraphs/kit/src/config.ts";
import { ConfigError } from "../subgraphs/kit/src/errors.ts";

type Env = Record<string, string | undefined>;

/** A port `npm start` will listen on: the setting that decides it, and how. */
interface PlannedPort {
  setting: string;
  port: number;
  host: string;
  /** How the port follows from its setting, for a message: "4001 + 2 = 4003 (police)". */
  said: string;
}

/** Where every process of `npm start` will listen, each as its setting decides it. */
function plannedPorts(env: Env, agencies: readonly string[], problems: string[]): PlannedPort[] {
  const host = env.HOST || "127.0.0.1";
  const planned: PlannedPort[] = [];
  const settle = (setting: string, fallback: number) => {
    try {
      return portFrom(env, setting, fallback);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const gateway = settle("PORT", 4000);
  if (gateway) planned.push({ setting: "PORT", port: gateway, host, said: `${gateway}` });
  const base = settle("MASH_SUBGRAPH_BASE_PORT", 4001);
  if (base) {
    for (const [i, name] of agencies.entries()) {
      const port = base + i;
      const said = `${base} + ${i} = ${port} (${name})`;
      if (port > 65535) {
        problems.push(`MASH_SUBGRAPH_BASE_PORT ${said} is past 65535: set a lower base`);
        break;
      }
      planned.push({ setting: "MASH_SUBGRAPH_BASE_PORT", port, host, said });
    }
  }
  const metrics = /^(?<host>[^:\s]+):(?<port>\d{1,5})$/.exec(
    env.MASH_METRICS_ADDRESS?.trim() ?? "",
  );
  const metricsPort = Number(metrics?.groups?.port);
  // A malformed address is the gateway's to name; here only a port that is taken.
  if (metrics?.groups?.host && metricsPort > 0 && metricsPort <= 65535)
    planned.push({
      setting: "MASH_METRICS_ADDRESS",
      port: metricsPort,
      host: metrics.groups.host,
      said: `${metrics.groups.host}:${metricsPort}`,
    });
  return planned;
}

/**
 * Every port `npm start` will listen on that is already taken, cannot be used by this user, or
 * is given to two processes; port 0 (any free port) is never a problem.
 */
export async function portProblems(env: Env, agencies: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const planned = plannedPorts(env, agencies, problems);
  const byPort = new Map<number, PlannedPort>();
  const distinct: PlannedPort[] = [];
  for (const p of planned) {
    const first = byPort.get(p.port);
    if (first) {
      problems.push(
        `${p.setting} ${p.said} is also ${first.setting} ${first.said}: set ${p.setting} or ${first.setting} so they do not overlap`,
      );
      continue;
    }
    byPort.set(p.port, p);
    distinct.push(p);
  }
  const answers = await Promise.all(distinct.map(listenProblem));
  // An address that is not this machine's fails every port on it: said once.
  return [...new Set([...problems, ...answers.filter((a): a is string => a !== undefined)])];
}

function listenProblem(p: PlannedPort): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE")
        resolve(`${p.setting} ${p.said} is in use: stop the other instance or set ${p.setting}`);
      else if (error.code === "EACCES")
        resolve(
          `${p.setting} ${p.said} may not be used by this user (EACCES): choose a port above 1023 or set ${p.setting}`,
        );
      else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND")
        resolve(
          `${p.setting === "MASH_METRICS_ADDRESS" ? "MASH_METRICS_ADDRESS" : "HOST"} ${p.host} is not an address of this machine (${error.code}): set it to one of its addresses`,
        );
      else resolve(`${p.setting} ${p.said} cannot be listened on (${error.code ?? error.message})`);
    });
    server.listen({ port: p.port, host: p.host, exclusive: true }, () =>
      server.close(() => resolve(undefined)),
    );
  });
}
