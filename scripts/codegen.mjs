// `npm run codegen [-- --check]`: the typed documents of every client the project carries, the
// kit's (gateway/operations) and the workspace's own, each from gateway/api-schema.graphql.
import { spawnSync } from "node:child_process";

const configs = ["clients/kit/codegen.ts", "gateway/web/workspace/codegen.ts"];
for (const config of configs) {
  const run = spawnSync("npx", ["graphql-codegen", "--config", config, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
