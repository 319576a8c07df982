import { newContextKeyPair } from "./keys.ts";

/**
 * `npx tsx subgraphs/kit/src/trust/new-key.ts`: a fresh gateway context key pair for production or
 * rotation, printed as the values of the two settings. The private line goes to the gateway only.
 */
const { privateJwk, publicJwk } = await newContextKeyPair();
process.stdout.write(
  [
    `# kid ${privateJwk.kid}`,
    "# gateway only (secret):",
    `MASH_CONTEXT_SIGNING_KEY='${JSON.stringify(privateJwk)}'`,
    "# every subgraph; during a rotation, list the old public key beside it:",
    `MASH_CONTEXT_VERIFY_KEYS='${JSON.stringify([publicJwk])}'`,
    "",
  ].join("\n"),
);
