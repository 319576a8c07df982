import type { WithheldField } from "@mash/client-kit";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ProblemAlert } from "./problem-alert.tsx";
import { readablePath, WithheldBadge, WithheldList } from "./withheld-badge.tsx";

const note: WithheldField = {
  path: "subject.health.mentalHealth.0.service",
  segments: ["subject", "health", "mentalHealth", 0, "service"],
  rule: "health-mental-health",
  reason: "Mental health services are shared with health professionals only.",
  owner: "health",
  contact: {
    agency: "health",
    name: "Safeguarding lead",
    phone: "01632 960 001",
    email: "safeguarding@health.example",
  },
};

describe("the error list", () => {
  it("shows every problem with its code, its policy problems and the request id, as an alert", () => {
    const html = renderToStaticMarkup(
      createElement(ProblemAlert, {
        title: "Could not publish",
        requestId: "req-7",
        problems: [
          { message: "You proposed this version", code: "FORBIDDEN" },
          {
            message: "The text does not load",
            details: [{ line: 3, rule: "police-x", message: "unknown role" }],
          },
        ],
      }),
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain("Could not publish");
    expect(html).toContain("You proposed this version <code>FORBIDDEN</code>");
    expect(html).toContain("Line 3 (rule police-x): unknown role");
    expect(html).toContain("Request id: <code>req-7</code>");
  });

  it("is not there at all without problems", () => {
    for (const problems of [undefined, []])
      expect(renderToStaticMarkup(createElement(ProblemAlert, { title: "No", problems }))).toBe("");
  });
});

describe("the withheld badge", () => {
  it("says what is withheld, by whom, why and whom to ask", () => {
    const html = renderToStaticMarkup(createElement(WithheldBadge, { note }));
    expect(html).toContain("<code>health › mentalHealth › service</code> by Health:");
    expect(html).toContain(note.reason);
    expect(html).toContain(
      "Ask Safeguarding lead (Health), phone 01632 960 001, email safeguarding@health.example.",
    );
    expect(readablePath("subject.education.attendance")).toBe("education › attendance");
  });

  it("lists a part's withheld fields under a label, and nothing when there are none", () => {
    const html = renderToStaticMarkup(
      createElement(WithheldList, { notes: [note], label: "What Health withholds" }),
    );
    expect(html).toContain("What Health withholds");
    expect(html).toContain('<li class="mash-withheld">');
    expect(renderToStaticMarkup(createElement(WithheldList, { notes: [], label: "x" }))).toBe("");
  });
});
