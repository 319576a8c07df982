import type { RecordQuestion } from "../governance/simulate.ts";

/** One named case of an agency's policy tests, with the line of each thing it expects. */
export interface PolicyCase {
  name: string;
  agency: string;
  /** The file as read (policies/tests/police.yaml) and the line the case starts on. */
  file: string;
  line: number;
  question: RecordQuestion;
  expect: { field: string; visible: boolean; line: number }[];
  listed?: { value: boolean; line: number };
}

/** A problem of a case file: its file, line and case, and what is wrong. */
export interface CaseProblem {
  file: string;
  line?: number;
  case?: string;
  message: string;
}
