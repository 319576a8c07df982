import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Conformance, startConformance } from "./harness.ts";
import { interfaces } from "./interfaces.case.ts";
import { requires } from "./requires.case.ts";
import { unions } from "./unions.case.ts";
import { answersWithheld, expectWithheld, itemsWhere, logOf, type Withheld } from "./withheld.ts";

// With a restrictive policy, our gateway must answer what bare @apollo/gateway answers with
// exactly the withheld fields set to null, one error each (see withheld.ts).

describe("a union member denied", () => {
  const reason = "Events are not shared with the auditor in this test.";
  let run: Conformance;
  beforeAll(async () => {
    run = await startConformance(unions, {
      policies: {
        "events.yaml": `
agency: events
rules:
  - id: events-auditor-all
    description: The auditor sees every field events owns.
    roles: [auditor]
    fields: { Event: "*" }
    legalBasis: Conformance suite
  - id: events-withheld
    description: But not events, after all.
    effect: deny
    roles: [auditor]
    fields: { Event: "*" }
    reason: ${reason}
    legalBasis: Conformance suite
`,
      },
    });
  });
  afterAll(() => run?.stop());

  for (const typename of [false, true]) {
    it(`withholds each Event's fields, one error each, other members intact (${typename ? "with" : "no"} __typename)`, async () => {
      const query = `{ search(term: "ring") { ${typename ? "__typename" : ""}
        ... on Book { title } ... on Author { name } ... on Event { name venue } } }`;
      const events = await itemsWhere(
        run,
        `{ search(term: "ring") { __typename } }`,
        "search",
        (item) => item.__typename === "Event",
      );
      expect(events.length).toBeGreaterThan(0);
      await answersWithheld(
        run,
        query,
        events.flatMap((i) =>
          ["name", "venue"].map((field) => ({
            path: ["search", i, field],
            rule: "events-withheld",
            owner: "events",
            reason,
          })),
        ),
      );
    });
  }

  it("withholds Events in a union nested under another member", async () => {
    const query = `{ author(name: "Tolkien") { name highlights { ... on Book { title } ... on Event { name } } } }`;
    const kinds = await run.bare({
      query: `{ author(name: "Tolkien") { highlights { __typename } } }`,
    });
    const highlights = ((kinds.data?.author ?? {}) as { highlights?: { __typename: string }[] })
      .highlights;
    const events = (highlights ?? []).flatMap((h, i) => (h.__typename === "Event" ? [i] : []));
    await answersWithheld(
      run,
      query,
      events.map((i) => ({
        path: ["author", "highlights", i, "name"],
        rule: "events-withheld",
        owner: "events",
        reason,
      })),
    );
  });
});

describe("an interface field denied on one implementation only", () => {
  let run: Conformance;
  beforeAll(async () => {
    run = await startConformance(interfaces, {
      policies: {
        "library.yaml": `
agency: library
rules:
  - id: library-auditor
    description: The auditor sees the library's data, but no film's title.
    roles: [auditor]
    fields:
      Query: "*"
      Shelf: "*"
      Author: "*"
      Director: "*"
      Book: "*"
      Movie: [id, creator, minutes]
    legalBasis: Conformance suite
`,
      },
    });
  });
  afterAll(() => run?.stop());

  const movies = () =>
    itemsWhere(run, "{ media { __typename } }", "media", (item) => item.__typename === "Movie");

  for (const query of [
    "{ media { id title } }",
    "{ media { __typename id title } }",
    "{ media { ...M } } fragment M on Media { title }",
  ]) {
    it(`withholds Movie.title and keeps Book.title: ${query}`, async () => {
      const indexes = await movies();
      expect(indexes.length).toBeGreaterThan(0);
      expect(run.owners.get("Movie.title")).toBe("library");
      await answersWithheld(
        run,
        query,
        indexes.map((i) => ({
          path: ["media", i, "title"],
          rule: "default-deny",
          owner: "library",
        })),
      );
    });
  }
});

describe("a condition on a field read through an interface", () => {
  let run: Conformance;
  beforeAll(async () => {
    run = await startConformance(interfaces, {
      policies: {
        "library.yaml": `
agency: library
rules:
  - id: library-auditor
    description: The auditor sees the library's data; a book's title is decided below.
    roles: [auditor]
    fields:
      Query: "*"
      Shelf: "*"
      Author: "*"
      Director: "*"
      Movie: "*"
      Book: [id, creator, pages, restricted]
    legalBasis: Conformance suite
  - id: library-unrestricted-titles
    description: The auditor sees the title of a book that is not restricted.
    roles: [auditor]
    conditions: { restricted: false }
    fields:
      Book: [title]
    legalBasis: Conformance suite
`,
      },
    });
  });
  afterAll(() => run?.stop());

  // The second query separates the condition from __typename: it fails only if the condition's
  // field is not fetched (or judged) through the interface.
  for (const query of ["{ media { title } }", "{ media { __typename title } }"]) {
    it(`decides each book by its own restricted flag, which the client never selected: ${query}`, async () => {
      const kinds = "{ media { __typename ... on Book { restricted } } }";
      const restricted = await itemsWhere(
        run,
        kinds,
        "media",
        (item) => item.__typename === "Book" && item.restricted === true,
      );
      const unrestricted = await itemsWhere(
        run,
        kinds,
        "media",
        (item) => item.__typename === "Book" && item.restricted === false,
      );
      // The case must have both kinds, or "per object" would prove nothing.
      expect(restricted.length).toBeGreaterThan(0);
      expect(unrestricted.length).toBeGreaterThan(0);
      const ours = await answersWithheld(
        run,
        query,
        restricted.map((i) => ({
          path: ["media", i, "title"],
          rule: "default-deny",
          owner: "library",
        })),
      );
      expect(JSON.stringify(ours.data)).not.toMatch(/restricted|_authz_/);
    });
  }

  it("decides per object in lists of the interface inside a list", async () => {
    const query = "{ shelves { label items { title } } }";
    const bare = await run.bare({ query });
    const kinds = await run.bare({
      query: "{ shelves { items { __typename ... on Book { restricted } } } }",
    });
    const shelves = (kinds.data?.shelves ?? []) as {
      items: { __typename: string; restricted?: boolean }[];
    }[];
    const withheld: Withheld[] = shelves.flatMap((shelf, s) =>
      shelf.items.flatMap((item, i) =>
        item.__typename === "Book" && item.restricted
          ? [{ path: ["shelves", s, "items", i, "title"], rule: "default-deny", owner: "library" }]
          : [],
      ),
    );
    const ours = await run.ours({ query });
    expect(ours.data, logOf(run)).toBeTruthy();
    expectWithheld(ours, bare, withheld);
    expect(JSON.stringify(ours.data)).not.toMatch(/restricted|_authz_|__typename/);
  });
});

describe("@requires inputs the role may not see", () => {
  // The auditor may read what shipping computes, not what it computes from: the plan must still
  // hand size and dims to shipping, and neither may reach the client unless asked and allowed.
  let run: Conformance;
  beforeAll(async () => {
    run = await startConformance(requires, {
      policies: {
        "warehouse.yaml": `
agency: warehouse
rules:
  - id: warehouse-auditor-parcels
    description: The auditor may list parcels by id only.
    roles: [auditor]
    fields: { Query: [parcels], Parcel: [id] }
    legalBasis: Conformance suite
`,
        "shipping.yaml": `
agency: shipping
rules:
  - id: shipping-auditor-costs
    description: The auditor sees what shipping computes.
    roles: [auditor]
    fields: { Parcel: [boxType, shippingCost, area] }
    legalBasis: Conformance suite
`,
      },
    });
  });
  afterAll(() => run?.stop());

  it("computes from the withheld inputs, and withholds them where the client asks for them", async () => {
    const query = "{ parcels { id boxType shippingCost area size } }";
    const bare = await run.bare({ query });
    const ours = await run.ours({ query });
    expect(ours.data, logOf(run)).toBeTruthy();
    const count = ((bare.data?.parcels ?? []) as unknown[]).length;
    expect(count).toBeGreaterThan(0);
    expectWithheld(
      ours,
      bare,
      Array.from({ length: count }, (_, i) => ({
        path: ["parcels", i, "size"],
        rule: "default-deny",
        owner: "warehouse",
      })),
    );
    expect(JSON.stringify(ours.data)).not.toMatch(/dims|weight|length|_authz_/);
  });
});
