/**
 * @apollo/gateway reports usage to Apollo unless this variable says not to: it reads nothing
 * else, in its constructor, so this is the one place our code writes the environment (the
 * boundary test allows it here alone). A safeguarding hub sends nothing out.
 */
export function refuseApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
}
