import { describe, expect, it } from "vitest";
import { acceptPractitioner } from "./sign-in.ts";

const patel = { id: "sw.patel", name: "Priya Patel", roles: ["social_worker"] };

describe("whom the workspace acts for", () => {
  it("a development user as picked, a provider's user of one agency", () => {
    const user = { username: "pc.jones", name: "PC Jones", agency: "police", roles: ["police"] };
    expect(acceptPractitioner({ via: "development", user }, "agency")).toBe(user);
    expect(
      acceptPractitioner(
        { via: "provider", user: { ...patel, agency: "childrens-services" } },
        "agency",
      ),
    ).toEqual({
      username: "sw.patel",
      name: "Priya Patel",
      agency: "childrens-services",
      roles: ["social_worker"],
    });
  });

  it("no one whose ID token names no agency, saying which claim should have", () => {
    expect(() => acceptPractitioner({ via: "provider", user: patel }, "mash_agency")).toThrow(
      /Signed in as Priya Patel \(sw\.patel\), but the identity provider names no agency for them \(claim "mash_agency"\)/,
    );
    expect(() => acceptPractitioner({ via: "token" }, "agency")).toThrow(/picker or the identity/);
  });
});
