import { storeFromEnv } from "../gateway/src/store-from-env.ts";
import { storeConfigFor } from "../subgraphs/kit/src/config.ts";
import { ConfigError } from "../subgraphs/kit/src/errors.ts";

type Env = Record<string, string | undefined>;

/** Long enough for a database across a network, short enough not to stall a start for long. */
const CONNECT_TIMEOUT_MS = 3000;

/** The gateway's own stores, as gateway/src/config.ts and governance/policy-config.ts name them. */
const GATEWAY_STORES = [
  { name: "AUDIT", schema: "audit" },
  { name: "POLICY", schema: "policy" },
] as const;

/**
 * Every PostgreSQL URL the agencies and the gateway will use, checked to parse as they will parse
 * it and to answer a query. Each problem names the setting; a URL is described by its host, port
 * and database, never echoed, as it may hold a password.
 */
export async function databaseProblems(env: Env, agencies: readonly string[]): Promise<string[]> {
  const problems = new Set<string>();
  const settingsOf = new Map<string, Set<string>>();
  const use = (url: string, setting: string) => {
    const settings = settingsOf.get(url) ?? new Set<string>();
    settings.add(setting);
    settingsOf.set(url, settings);
  };
  const collecting = (parse: () => void) => {
    try {
      parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.add(error.message);
    }
  };
  // Each URL as its parser reads it, without the schema prefix, which settingProblems names: a
  // bad prefix is no reason not to say whether the database answers.
  const noPrefix = { ...env, MASH_DATABASE_SCHEMA_PREFIX: undefined };
  for (const agency of agencies) {
    collecting(() => {
      const store = storeConfigFor(agency, noPrefix);
      if (store.kind !== "postgres") return;
      const own = `MASH_DATABASE_URL_${agency.toUpperCase().replace(/-/g, "_")}`;
      use(store.url, env[own] ? own : "MASH_DATABASE_URL");
    });
  }
  for (const { name, schema } of GATEWAY_STORES) {
    const setting = `MASH_${name}_DATABASE_URL`;
    collecting(() => {
      const store = storeFromEnv({ [setting]: env[setting] }, name, schema);
      if (store?.kind === "postgres") use(store.url, setting);
    });
  }
  if (settingsOf.size) {
    const { default: pg } = await import("pg");
    const answers = await Promise.all(
      [...settingsOf].map(async ([url, settings]) => {
        const problem = await connectProblem(pg, url);
        return problem && `${[...settings].join(", ")}: ${problem}`;
      }),
    );
    for (const answer of answers) if (answer) problems.add(answer);
  }
  return [...problems];
}

/** Why the database does not answer `select 1`, or undefined when it does. */
async function connectProblem(
  pg: typeof import("pg").default,
  url: string,
): Promise<string | undefined> {
  const parsed = new URL(url);
  const where = `PostgreSQL at ${parsed.hostname || "the local socket"}:${parsed.port || 5432}${parsed.pathname.length > 1 ? ` (database ${decodeURIComponent(parsed.pathname.slice(1))})` : ""}`;
  const password = decodeURIComponent(parsed.password);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An error after the answer (the server closing the idle connection) is of no interest here.
  client.on("error", () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    // A server that accepts the connection and then says nothing would outlast connect's timer.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
        CONNECT_TIMEOUT_MS,
      );
    });
    await Promise.race([client.connect().then(() => client.query("select 1")), timeout]);
    return undefined;
  } catch (error) {
    let reason = describe(error as NodeJS.ErrnoException);
    if (password) reason = reason.split(password).join("***");
    return `${where} does not answer (${reason}): start it, or correct the URL`;
  } finally {
    clearTimeout(timer);
    void client.end().catch(() => {});
  }
}

function describe(error: NodeJS.ErrnoException): string {
  if (error.code === "ECONNREFUSED") return "connection refused: nothing listens there";
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return "no such host";
  if (/timeout/i.test(error.message)) return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  return error.message || error.code || String(error);
}
