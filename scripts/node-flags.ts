type Env = Record<string, string | undefined>;

/**
 * V8's young generation, per semi-space, for every server `npm start` runs. A request allocates
 * about 1.5 MB (a SubjectOverview: the plan's operations, the agencies' Kysely queries, the
 * answers), so at Node 20's default of 16 MB the young generation fills several times a second
 * while requests are still in flight, and what they hold is copied, then promoted. At 32 MB the
 * memory bench served 1-10% more requests (four runs, both orders) at about the same RSS, and
 * the gateway bench spent 1-2% less CPU a request; 64 and 128 MB gained nothing more that could
 * be told apart from the noise.
 */
export const SEMI_SPACE_MB = 32;

// V8 reads its flags with dashes or underscores alike.
const SEMI_SPACE_FLAG = /(^|\s)--max[-_]semi[-_]space[-_]size(=|\s|$)/;

/**
 * The Node flags a server process is started with: ours, unless the operator's NODE_OPTIONS
 * already chooses the same setting. Flags on the command line override NODE_OPTIONS, so ours
 * would silently win otherwise.
 */
export function serverNodeFlags(env: Env): string[] {
  if (SEMI_SPACE_FLAG.test(env.NODE_OPTIONS ?? "")) return [];
  return [`--max-semi-space-size=${SEMI_SPACE_MB}`];
}
