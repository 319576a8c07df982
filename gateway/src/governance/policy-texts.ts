import {
  type LoadedPolicies,
  loadPolicyTexts,
  type PolicyText,
  readPolicyDir,
} from "../authz/policy/load.ts";
import type { PolicyProblem } from "../authz/policy/types.ts";

/** The file that holds an agency's rules among a set of texts (check-rules insists on the name). */
export function agencyFileOf(files: readonly PolicyText[], agency: string): string {
  return files.find((f) => f.name === `${agency}.yml`)?.name ?? `${agency}.yaml`;
}

/** The texts with one agency's file replaced (or added): how a candidate is judged in context. */
export function withAgencyText(
  files: readonly PolicyText[],
  agency: string,
  text: string,
): PolicyText[] {
  const name = agencyFileOf(files, agency);
  return [...files.filter((f) => f.name !== name), { name, text }];
}

/** The repository files with each agency's published text laid over its own file: the store wins. */
export function overlayPublished(
  files: readonly PolicyText[],
  published: ReadonlyMap<string, string>,
): PolicyText[] {
  let out = [...files];
  for (const [agency, text] of published) out = withAgencyText(out, agency, text);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function agencyTextOf(files: readonly PolicyText[], agency: string): string | undefined {
  const name = agencyFileOf(files, agency);
  return files.find((f) => f.name === name)?.text;
}

/** The texts in force: the policies directory with the store's published versions laid over it. */
export function textsInForce(
  policiesDir: string,
  published: ReadonlyMap<string, string>,
): { files: PolicyText[]; problems: PolicyProblem[] } {
  const read = readPolicyDir(policiesDir);
  return { files: overlayPublished(read.files, published), problems: read.problems };
}

/**
 * Loads the whole policy with one agency's text substituted: exactly what the gateway would load.
 * Never throws: an officer's text that breaks the loader (a bug it finds) is a problem of that
 * text, so one stored draft cannot fail every listing of the agency's versions.
 */
export function validateAgencyText(options: {
  files: readonly PolicyText[];
  agency: string;
  text: string;
  supergraphSdl: string;
}): LoadedPolicies {
  try {
    return loadPolicyTexts({
      files: withAgencyText(options.files, options.agency, options.text),
      supergraphSdl: options.supergraphSdl,
    });
  } catch (error) {
    const message = `could not be checked (${(error as Error).name}); it cannot be used`;
    return {
      policy: undefined,
      problems: [{ file: agencyFileOf(options.files, options.agency), message }],
    };
  }
}

/** A problem as the governance API shows it: lines point into the agency's own text. */
export interface ProblemView {
  line: number | null;
  rule: string | null;
  message: string;
}

export function problemViews(
  problems: readonly PolicyProblem[],
  ownFile: string | undefined,
): ProblemView[] {
  return problems.map((p) => {
    const own = ownFile === undefined || p.file === ownFile;
    return {
      // A line in another agency's file would point into text the officer is not looking at.
      line: own ? (p.line ?? null) : null,
      rule: p.rule ?? null,
      message: own ? p.message : `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`,
    };
  });
}
