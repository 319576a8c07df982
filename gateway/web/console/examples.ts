import { returnedBy } from "./returned-ids.ts";

export { returnedBy } from "./returned-ids.ts";

export interface OperationExample {
  readonly variables?: Readonly<Record<string, unknown>>;
  /**
   * The development user the example is written for (the operation's comment says so too);
   * when unset, any front door will do and the tab suggests DEFAULT_USER.
   */
  readonly as?: string;
  /** The enquiry to pick in "Enquiry (purpose)", when the example reads detail it grants. */
  readonly enquiry?: string;
  /** What to know before running it again: most steps of the process happen once. */
  readonly again?: string;
}

/** The front door the golden walk-through starts as (README, "Your first five minutes"). */
export const DEFAULT_USER = "sw.patel";

/**
 * Example inputs use the golden fixtures so every tab returns real data on a freshly seeded
 * system. No tab carries headers: the console's "Sign in as" and "Enquiry (purpose)" pickers add
 * Authorization and X-MASH-Enquiry to every request, and each tab's first lines say whom to sign
 * in as and which enquiry to pick (tabHeader). The process tabs walk one enquiry about S-1004
 * from contact to decision, each step signed in as the user `as` names; a step that needs an
 * earlier one's id names that step (`returnedBy`), and the console sends the id the step last
 * returned in the same browser tab (returned-ids.ts). Run in TAB_ORDER on a fresh seed, every
 * tab answers without a refusal (test/src/console.browser.test.ts).
 */
export const EXAMPLES: Readonly<Record<string, OperationExample>> = {
  SubjectOverview: { enquiry: "ENQ-2001", variables: { id: "S-1001" } },
  SubjectChronology: { enquiry: "ENQ-2001", variables: { id: "S-1001" } },
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
    again: "A contact is screened once: record another with RecordContact to run this again.",
    variables: {
      id: returnedBy("RecordContact"),
      outcome: "PROGRESS_TO_ENQUIRY",
      reason: "A child present at a domestic incident: partner agencies' checks are needed",
    },
  },
  OpenEnquiryFromContact: {
    as: "sw.patel",
    again: "A contact opens one enquiry: record another with RecordContact to run this again.",
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
    again: "Refused when the enquiry already has that rating: pick another to run this again.",
    variables: {
      enquiryId: returnedBy("OpenEnquiryFromContact"),
      rag: "RED",
      reason: "Police report a second incident at the address this month",
    },
  },
  AskAgencies: {
    as: "sw.patel",
    again: "Refused for an agency already asked and not released.",
    variables: { enquiryId: returnedBy("OpenEnquiryFromContact"), agencies: ["education"] },
  },
  ReleaseAgency: {
    as: "sw.patel",
    again: "Refused for an agency already released: AskAgencies asks it again first.",
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
    again:
      "An enquiry is decided once: open another with OpenEnquiryFromContact to run this again.",
    variables: {
      id: returnedBy("OpenEnquiryFromContact"),
      outcome: "SECTION_17_ASSESSMENT",
      reason: "Repeated domestic incidents with Amelia present: a child and family assessment",
      feedback: { how: "By phone to the referring officer" },
    },
  },
  CloseEnquiry: {
    as: "mgr.okafor",
    again: "An enquiry is closed once: run OpenEnquiry again for another.",
    variables: {
      id: returnedBy("OpenEnquiry"),
      outcome: "NO_FURTHER_ACTION",
      reason: "Attendance concern shared with the school; no safeguarding role for the MASH",
    },
  },
  RecordReferrerFeedback: {
    as: "mgr.okafor",
    again:
      "Feedback is recorded once: afterwards, use an enquiry decided without feedback (CloseEnquiry's).",
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
  "SubjectChronology",
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

/** Whom to sign in as for a tab's example, and which enquiry to pick, if any. */
export function suggestedSignIn(name: string): { user: string; enquiry?: string } {
  const example = EXAMPLES[name];
  const user = example?.as ?? DEFAULT_USER;
  return example?.enquiry ? { user, enquiry: example.enquiry } : { user };
}
