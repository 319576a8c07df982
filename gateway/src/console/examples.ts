import type { GraphiQLProps } from "graphiql";

type TabDefinition = NonNullable<GraphiQLProps["defaultTabs"]>[number];

export interface OperationExample {
  readonly variables?: Readonly<Record<string, unknown>>;
  /** The development user the example is written for (the operation's comment says so too). */
  readonly as?: string;
}

/** Stands for the id an earlier step returned: the walk-through runs the steps in TAB_ORDER. */
export const returnedBy = (operation: string) => `<id returned by ${operation}>`;

/**
 * Example inputs use the golden fixtures so every tab returns real data on a seeded system. No tab
 * carries headers: the console's "Sign in as" and "Enquiry (purpose)" pickers add Authorization
 * and X-MASH-Enquiry to every request (choose ENQ-2001, the golden enquiry about S-1001). The
 * process tabs walk one enquiry about S-1004 from contact to decision, each step signed in as
 * the user `as` names; a step that needs an earlier one's id says which.
 */
export const EXAMPLES: Readonly<Record<string, OperationExample>> = {
  SubjectOverview: { variables: { id: "S-1001" } },
  FindSubject: { variables: { name: "Amelia Doe", dateOfBirth: "2017-03-14" } },
  EnquiryWorkspace: { variables: { id: "ENQ-2001" } },
  EnquiryProcess: { as: "sw.patel", variables: { id: "ENQ-2001" } },
  RecordContact: {
    as: "pc.jones",
    variables: {
      input: {
        referrer: {
          kind: "AGENCY",
          agency: "the police",
          name: "PC Sam Jones",
          role: "Police MASH officer",
          howToReach: "Police MASH desk, extension 4471",
        },
        concern:
          "Officers attended a domestic incident at 3 Mill Lane overnight; Amelia was present and upset",
        consentSought: false,
        consentReason: "Seeking consent could put Amelia at greater risk of harm",
        subjectIds: ["S-1004"],
      },
    },
  },
  ScreenContact: {
    as: "sw.patel",
    variables: {
      id: returnedBy("RecordContact"),
      outcome: "PROGRESS_TO_ENQUIRY",
      reason: "A child present at a domestic incident: partner agencies' checks are needed",
    },
  },
  OpenEnquiryFromContact: {
    as: "sw.patel",
    variables: {
      input: {
        reason:
          "Amelia was present at a domestic incident at home; police and health checks needed",
        rag: "AMBER",
        contactIds: [returnedBy("RecordContact")],
        ask: ["police", "health"],
      },
    },
  },
  OpenEnquiry: {
    variables: {
      input: {
        reason: "School reports Leo's attendance has fallen to 71%",
        rag: "AMBER",
        subjectIds: ["S-1007"],
      },
    },
  },
  ChangeRag: {
    as: "sw.patel",
    variables: {
      enquiryId: returnedBy("OpenEnquiryFromContact"),
      rag: "RED",
      reason: "Police report a second incident at the address this month",
    },
  },
  AskAgencies: {
    as: "sw.patel",
    variables: { enquiryId: returnedBy("OpenEnquiryFromContact"), agencies: ["education"] },
  },
  ReleaseAgency: {
    as: "sw.patel",
    variables: {
      enquiryId: returnedBy("OpenEnquiryFromContact"),
      agency: "health",
      reason: "Health holds nothing relevant beyond routine checks",
    },
  },
  AnswerResearch: {
    as: "pc.jones",
    variables: {
      input: {
        enquiryId: "ENQ-2001",
        finding: "Two domestic abuse call-outs to 14 Larch Close this year; Amelia present at one",
        decision: "SHARE",
        decisionReason: "Relevant to the risk to Amelia; shared within the MASH only",
      },
    },
  },
  DecideEnquiry: {
    as: "mgr.okafor",
    variables: {
      id: returnedBy("OpenEnquiryFromContact"),
      outcome: "SECTION_17_ASSESSMENT",
      reason: "Repeated domestic incidents with Amelia present: a child and family assessment",
      feedback: { how: "By phone to the referring officer" },
    },
  },
  CloseEnquiry: {
    variables: {
      id: returnedBy("OpenEnquiry"),
      outcome: "NO_FURTHER_ACTION",
      reason: "Attendance concern shared with the school; no safeguarding role for the MASH",
    },
  },
  RecordReferrerFeedback: {
    as: "mgr.okafor",
    variables: {
      enquiryId: "ENQ-1999",
      feedback: { how: "Letter to the school's designated safeguarding lead" },
    },
  },
  RecordDisagreement: {
    as: "dsl.murphy",
    variables: {
      enquiryId: "ENQ-1999",
      reason: "Attendance has fallen again since the decision; the school asks for early help",
    },
  },
  MashPerformance: {
    as: "mgr.okafor",
    variables: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" },
  },
};

// Workflow order rather than alphabetical: the overview is what practitioners open the console
// for; the process tabs follow one enquiry from contact to decision.
export const TAB_ORDER = [
  "SubjectOverview",
  "FindSubject",
  "EnquiryWorkspace",
  "EnquiryProcess",
  "RecordContact",
  "ScreenContact",
  "OpenEnquiryFromContact",
  "OpenEnquiry",
  "ChangeRag",
  "AskAgencies",
  "ReleaseAgency",
  "AnswerResearch",
  "DecideEnquiry",
  "CloseEnquiry",
  "RecordReferrerFeedback",
  "RecordDisagreement",
  "MashPerformance",
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
