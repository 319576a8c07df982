import { readFileSync } from "node:fs";
import { Supergraph } from "@apollo/federation-internals";
import { describe, expect, it } from "vitest";
import { composeSupergraph } from "../../compose/compose.ts";
import { supergraphFile } from "../../compose/schema-files.ts";
import { deriveChronology } from "./derive-paths.ts";
import { api, spec, subgraphs, supergraphSdl } from "./fixture.test-support.ts";

const named = (s: NonNullable<ReturnType<typeof deriveChronology>>) =>
  s.paths.map(
    (p) => `${p.agency}: ${p.fields.map((f) => f.name).join(".")} -> ${p.type}.${p.dateField}`,
  );

describe("deriveChronology", () => {
  it("finds each dated type by its shortest ways from the marked type, never through it again", () => {
    expect(spec.root).toBe("Person");
    expect(named(spec)).toEqual([
      "hub: contacts -> Contact.receivedAt",
      "health: health.visits -> Visit.attendedAt",
      "hub: cases.steps -> Step.at",
      "police: police.incidents -> Incident.occurredAt",
    ]);
    // Not Person.cases.contacts (a contact is the person's already), not household.*, and not
    // police.deep.deeper.far (past the bound).
    expect(spec.agencies).toEqual(["health", "hub", "police"]);
    expect(spec.items).toEqual(["Contact", "Incident", "Step", "Visit"]);
  });

  it("declares nothing without the spec's link, or without a type marked @chronology", () => {
    const plain = subgraphs.map((s) => ({
      ...s,
      sdl: s.sdl
        .replace(/@link\(url: "https:\/\/specs\.mash-gateway[^\n]*\n/, "\n")
        .replace(/ *@composeDirective\(name: "@(dated|chronology)"\)\n/g, "")
        .replace(/@dated|@chronology(?= \{)/g, "")
        .replace(/directive {2}on [A-Z_]+\n/g, ""),
    }));
    const sdl = composeSupergraph(plain);
    expect(sdl).not.toContain("mash-gateway");
    expect(deriveChronology(sdl, Supergraph.build(sdl).apiSchema().toGraphQLJSSchema())).toBe(
      undefined,
    );
    const unmarked = supergraphSdl.replace(/\n {2}@chronology\n/, "\n");
    expect(deriveChronology(unmarked, api)).toBe(undefined);
  });

  it("reads the graph's own chronology: eight agencies' dated lists of Subject", () => {
    const sdl = readFileSync(supergraphFile, "utf8");
    const real = deriveChronology(sdl, Supergraph.build(sdl).apiSchema().toGraphQLJSSchema());
    expect(real && named(real)).toEqual([
      "mash: contacts -> Contact.receivedAt",
      "adult-social-care: adultSocialCare.safeguardingEnquiries -> SafeguardingEnquiry.openedAt",
      "childrens-services: socialCare.caseNotes -> CaseNote.recordedAt",
      "education: education.exclusions -> Exclusion.date",
      "health: health.unscheduledCare -> UnscheduledCareAttendance.attendedAt",
      "mash: enquiries.timeline -> ProcessStep.at",
      "police: police.incidents -> PoliceIncident.occurredAt",
      "probation: probation.offences -> Offence.date",
    ]);
  });
});
