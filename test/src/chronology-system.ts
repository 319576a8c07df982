import { appendFile, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AsUser, type GraphQLBody, startSystem } from "./system.ts";

/**
 * For the tests of Subject.chronology, served by the gateway from the agencies' own fields: the same items as
 * those fields, newest first, judged as they are, and telling nothing more about what is held
 * back. The policies are the repository's with one rule added for the test: social workers see
 * police incidents but not when they happened, so a whole agency's items are held back by
 * their dates alone.
 */
const POLICIES = new URL("../../policies", import.meta.url).pathname;
const DATES_WITHHELD = `
  - id: test-incident-dates-withheld
    description: For this test only, social workers see incidents but not their dates.
    effect: deny
    roles: [social_worker]
    fields:
      PoliceIncident: [occurredAt]
    reason: Incident dates stay with the police.
    legalBasis: Test only
`;

export const CHRONOLOGY = `query Chronology($id: ID!, $agencies: [String!]) {
  subject(id: $id) {
    id
    chronology(agencies: $agencies) {
      at
      agency
      item {
        __typename
        ... on PoliceIncident { id category summary }
        ... on UnscheduledCareAttendance { id setting reason }
        ... on Exclusion { id kind }
        ... on CaseNote { id text }
        ... on SafeguardingEnquiry { id status }
        ... on Offence { id offenceCategory: category }
        ... on Contact { id concern }
        ... on ProcessStep { step agency stepSummary: summary }
      }
    }
  }
}`;

/** The fields the chronology is made of, asked for directly. */
export const UNDERLYING = `query Underlying($id: ID!) {
  subject(id: $id) {
    police { incidents { id occurredAt } }
    health { unscheduledCare { id attendedAt } }
    education { exclusions { id date } }
    socialCare { caseNotes { id recordedAt } }
    adultSocialCare { safeguardingEnquiries { id openedAt } }
    probation { offences { id date } }
    contacts { id receivedAt }
    enquiries { timeline { at step agency summary } }
  }
}`;

/** The agencies' tables and columns the differential changes (each store declares its own). */
export interface Tables {
  incidents: {
    subject_id: string;
    id: string;
    occurred_at: string;
    category: string;
    summary: string;
    child_present: number;
  };
  unscheduled_care: { subject_id: string; attended_at: string };
  case_notes: { subject_id: string; recorded_at: string };
  safeguarding_enquiries: { subject_id: string; opened_at: string };
  offences: { subject_id: string; date: string };
}

export interface Entry {
  at: string;
  agency: string;
  item: Record<string, unknown>;
}
export type Row = Record<string, unknown>;

/** What the underlying fields hold, as `agency|at|type|identity` strings. */
export function underlyingItems(subject: Row): string[] {
  const list = (value: unknown) => (Array.isArray(value) ? (value as Row[]) : []);
  const section = (name: string) => (subject[name] ?? {}) as Row;
  const items: string[] = [];
  const add = (agency: string, type: string, rows: Row[], date: string) => {
    for (const row of rows)
      if (typeof row[date] === "string") items.push(`${agency}|${row[date]}|${type}|${row.id}`);
  };
  add("police", "PoliceIncident", list(section("police").incidents), "occurredAt");
  add("health", "UnscheduledCareAttendance", list(section("health").unscheduledCare), "attendedAt");
  add("education", "Exclusion", list(section("education").exclusions), "date");
  add("childrens-services", "CaseNote", list(section("socialCare").caseNotes), "recordedAt");
  add(
    "adult-social-care",
    "SafeguardingEnquiry",
    list(section("adultSocialCare").safeguardingEnquiries),
    "openedAt",
  );
  add("probation", "Offence", list(section("probation").offences), "date");
  add("mash", "Contact", list(subject.contacts), "receivedAt");
  for (const enquiry of list(subject.enquiries))
    for (const step of list(enquiry.timeline))
      items.push(`mash|${step.at}|ProcessStep|${step.step}/${step.agency}/${step.summary}`);
  return items.sort();
}

export const chronologyItems = (entries: Entry[]): string[] =>
  entries
    .map((e) => {
      const { item } = e;
      const identity =
        item.__typename === "ProcessStep"
          ? `${item.step}/${item.agency}/${item.stepSummary}`
          : item.id;
      return `${e.agency}|${e.at}|${item.__typename}|${identity}`;
    })
    .sort();

/** The system on the repository's policies and the test's rule, and how the tests ask it. */
export async function startChronologySystem() {
  const policiesDir = await mkdtemp(join(tmpdir(), "mash-chronology-policies-"));
  await cp(POLICIES, policiesDir, { recursive: true });
  await appendFile(join(policiesDir, "police.yaml"), DATES_WITHHELD);
  const system = await startSystem({ subjects: 20, policiesDir });
  return {
    system,
    async stop() {
      await system.stop();
      await rm(policiesDir, { recursive: true, force: true });
    },
    /** The raw response text: byte for byte what the client is sent. */
    async raw(query: string, variables: Row, who: AsUser) {
      const response = await fetch(system.gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(await system.headersFor(who)) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, text: await response.text() };
    },
    async chronology(id: string, who: AsUser, agencies?: string[]) {
      const { body, status } = await system.query<{ subject: { chronology: Entry[] | null } }>(
        CHRONOLOGY,
        { id, ...(agencies ? { agencies } : {}) },
        who,
      );
      return { status, body, entries: body.data?.subject?.chronology ?? [] };
    },
    /** The fields the chronology is made of, asked for directly. */
    underlying(
      id: string,
      who: AsUser,
    ): Promise<{ status: number; body: GraphQLBody<{ subject: Row }> }> {
      return system.query<{ subject: Row }>(UNDERLYING, { id }, who);
    },
  };
}

export type ChronologySystem = Awaited<ReturnType<typeof startChronologySystem>>;
