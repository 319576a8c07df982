import type { GraphiQLProps } from "graphiql";

type TabDefinition = NonNullable<GraphiQLProps["defaultTabs"]>[number];

export interface OperationExample {
  readonly variables?: Readonly<Record<string, unknown>>;
}

/**
 * Example inputs use the golden fixtures so every tab returns real data on a seeded system. No tab
 * carries headers: the console's "Sign in as" and "Enquiry (purpose)" pickers add Authorization
 * and X-MASH-Enquiry to every request (choose ENQ-2001, the golden enquiry about S-1001).
 */
export const EXAMPLES: Readonly<Record<string, OperationExample>> = {
  SubjectOverview: { variables: { id: "S-1001" } },
  FindSubject: { variables: { name: "Amelia Doe", dateOfBirth: "2017-03-14" } },
  EnquiryWorkspace: { variables: { id: "ENQ-2001" } },
  OpenEnquiry: {
    variables: {
      input: {
        reason: "School reports Leo's attendance has fallen to 71%",
        rag: "AMBER",
        subjectIds: ["S-1007"],
      },
    },
  },
  CloseEnquiry: {
    variables: {
      id: "<id returned by OpenEnquiry>",
      outcome: "NO_FURTHER_ACTION",
      reason: "Attendance concern shared with the school; no safeguarding role for the MASH",
    },
  },
};

// Workflow order rather than alphabetical: the overview is what practitioners open the console for.
const TAB_ORDER = [
  "SubjectOverview",
  "FindSubject",
  "EnquiryWorkspace",
  "OpenEnquiry",
  "CloseEnquiry",
];

function rank(name: string): number {
  const index = TAB_ORDER.indexOf(name);
  return index === -1 ? TAB_ORDER.length : index;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** One tab per operation; operations added to the contract later still get a tab, just last. */
export function buildDefaultTabs(
  operations: ReadonlyArray<{ readonly name: string; readonly document: string }>,
): TabDefinition[] {
  return [...operations]
    .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1))
    .map(({ name, document }) => {
      const example = EXAMPLES[name];
      return {
        query: document,
        variables: example?.variables ? pretty(example.variables) : null,
        headers: null,
      };
    });
}
