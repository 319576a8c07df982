/**
 * Type-level tests, never run: `tsc -p clients/kit` (npm run typecheck) compiles this file, and
 * fails if a typed document stops typing its answer or starts accepting wrong variables (each
 * `@ts-expect-error` must meet an error, or tsc reports it unused).
 */
import { type MashClient, SubjectOverviewDocument, type withheldFields } from "./index.ts";

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(_proof: Equals<A, B>) => {};

export async function subjectOverviewIsTyped(client: MashClient) {
  const { data, errors, requestId } = await client.request(SubjectOverviewDocument, {
    id: "S-1001",
  });
  const given = data?.subject?.name?.given;
  same<typeof given, string | undefined>(true);
  same<typeof requestId, string | undefined>(true);
  // A withheld field is null in the data: the type says so, so a frontend must handle it.
  const service = data?.subject?.health?.mentalHealth?.service;
  same<typeof service, string | null | undefined>(true);
  same<ReturnType<typeof withheldFields>[number]["owner"], string>(true);
  // @ts-expect-error the answer has no field the operation did not select
  data?.subject?.police?.custody;
  return errors;
}

export async function wrongVariablesAreRefused(client: MashClient) {
  // @ts-expect-error SubjectOverview needs its $id
  await client.request(SubjectOverviewDocument, {});
  // @ts-expect-error $id is an ID, not a boolean
  await client.request(SubjectOverviewDocument, { id: true });
  // @ts-expect-error the operation has no $name
  await client.request(SubjectOverviewDocument, { id: "S-1001", name: "Amelia" });
  // @ts-expect-error variables are required when the operation has required ones
  await client.request(SubjectOverviewDocument);
}
