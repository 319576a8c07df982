import type { CallerContext } from "@mash/kit";
import { signTestContext, storeBackends, useRunningSubgraph } from "@mash/kit/testing";
import { describe, expect, it } from "vitest";
import { mash } from "./index.ts";

interface Reply {
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the shape its own query asked for.
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Through the subgraph's GraphQL, signed as the gateway would sign a user's request. */
for (const { backend, unavailable } of await storeBackends()) {
  describe.skipIf(unavailable)(`mash contacts through GraphQL on ${backend}`, () => {
    const { subgraph } = useRunningSubgraph(mash, backend, 50);
    const patel: Partial<CallerContext> = {
      sub: "sw.patel",
      roles: ["social_worker"],
      agency: "childrens-services",
    };
    const post = async (query: string, caller = patel): Promise<Reply> => {
      const body = JSON.stringify({ query });
      const response = await fetch(subgraph().url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mash-context": await signTestContext("mash", caller, body),
        },
        body,
      });
      return (await response.json()) as Reply;
    };
    const fields = `id receivedAt recordedBy referrer { kind agency name role howToReach }
      concern consentSought consentReason subjects { id }
      repeats { subject { id } contactsInLast12Months } screening { outcome agency screenedBy }
      enquiry { id }`;
    const contact = (referrer: string, subjects: string) => `recordContact(input: {
      referrer: ${referrer}, concern: "Child arrived hungry with bruising",
      consentSought: false, consentReason: "Seeking consent could put the child at risk",
      subjectIds: ${subjects} }) { ${fields} }`;

    it("records, screens, counts repeats and opens an enquiry from contacts", async () => {
      const recorded = await post(`mutation {
        first: ${contact(`{ kind: AGENCY, agency: "Moorside Primary", name: "Ms Reed", role: "teacher" }`, `["S-1001"]`)}
        second: ${contact(`{ kind: PUBLIC, name: "A neighbour", howToReach: "07700 900123" }`, `["S-1001", "S-1002"]`)}
      }`);
      expect(recorded.errors).toBeUndefined();
      const { first, second } = recorded.data ?? {};
      expect(first).toMatchObject({
        id: expect.stringMatching(/^CON-\d+$/),
        recordedBy: "sw.patel",
        referrer: { kind: "AGENCY", agency: "Moorside Primary", name: "Ms Reed", role: "teacher" },
        consentSought: false,
        subjects: [{ id: "S-1001" }],
        repeats: [{ subject: { id: "S-1001" }, contactsInLast12Months: 1 }],
        screening: null,
        enquiry: null,
      });
      expect(second.repeats).toEqual([
        { subject: { id: "S-1001" }, contactsInLast12Months: 2 },
        { subject: { id: "S-1002" }, contactsInLast12Months: 1 },
      ]);

      const screened = await post(`mutation {
        screenContact(id: "${first.id}", outcome: PROGRESS_TO_ENQUIRY, reason: "Second contact about Amelia") {
          id screening { outcome agency screenedBy } }
      }`);
      expect(screened.data?.screenContact).toEqual({
        id: first.id,
        screening: {
          outcome: "PROGRESS_TO_ENQUIRY",
          agency: "childrens-services",
          screenedBy: "sw.patel",
        },
      });
      const waiting = await post(`{ contacts(screened: false) { id } }`);
      expect(waiting.data?.contacts).toEqual([{ id: second.id }]);

      const opened = await post(`mutation {
        openEnquiry(input: { reason: "Repeated concerns from school and a neighbour", rag: AMBER,
          contactIds: ["${first.id}", "${second.id}"] }) {
          id openedWithoutContact subjects { id } contacts { id screening { outcome } enquiry { id } }
        }
      }`);
      expect(opened.errors).toBeUndefined();
      const enquiry = opened.data?.openEnquiry;
      expect(enquiry).toMatchObject({
        openedWithoutContact: false,
        subjects: [{ id: "S-1001" }, { id: "S-1002" }],
      });
      expect(enquiry.contacts.map((c: { id: string }) => c.id).sort()).toEqual(
        [first.id, second.id].sort(),
      );
      for (const c of enquiry.contacts) {
        expect(c).toMatchObject({
          screening: { outcome: "PROGRESS_TO_ENQUIRY" },
          enquiry: { id: enquiry.id },
        });
      }

      const person = await post(`{
        subject(id: "S-1001") { recentContacts contacts { id } }
        contact(id: "${second.id}") { id enquiry { id openedWithoutContact } }
        missing: contact(id: "CON-404404") { id }
      }`);
      expect(person.data).toEqual({
        subject: { recentContacts: 2, contacts: [{ id: second.id }, { id: first.id }] },
        contact: { id: second.id, enquiry: { id: enquiry.id, openedWithoutContact: false } },
        missing: null,
      });
    });

    it("refuses bad input with the field named", async () => {
      const unknown = await post(`mutation {
        ${contact(`{ kind: PUBLIC, name: "A neighbour" }`, `["S-1001", "S-NOPE"]`)}
      }`);
      expect(unknown.data).toBeNull();
      expect(unknown.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.subjectIds",
      });
      const again = await post(`mutation {
        screenContact(id: "CON-404404", outcome: NO_FURTHER_ACTION_OR_ADVICE, reason: "Advice given to the referrer") { id }
      }`);
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
      const first = await post(`{ contacts(first: 0) { id } }`);
      expect(first.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "first",
      });
    });
  });
}
