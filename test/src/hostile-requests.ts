/** What the hostile-input suite sends: at least 200 distinct bad requests, each with its expected status. */
export interface BadRequest {
  name: string;
  /** Where to send it: the gateway by default, or a subgraph by name. */
  to?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whether to add a valid token for sw.patel. */
  signedIn?: boolean;
  status: number | number[];
}

export const ok = JSON.stringify({ query: '{ subject(id: "S-1001") { name { given } } }' });
export const gql = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
export const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** At least 200 distinct hostile or broken requests, each expecting a 4xx and a clear message. */
export function hostileRequests(): BadRequest[] {
  const cases: BadRequest[] = [];
  const add = (c: BadRequest) =>
    cases.push({ signedIn: true, ...c, name: `${cases.length + 1}. ${c.name}` });
  // Malformed JSON bodies.
  for (const body of [
    "{",
    "}",
    "[",
    '{"query":',
    '{"query": "{ __typename }"',
    "nul",
    "undefined",
    '{"query": 1}',
    '{"query": null}',
    '{"query": ["a"]}',
    '"just a string"',
    "42",
    "{'query': '{ x }'}",
    '{"query": "{ __typename }",}',
    "\u0000\u0001",
    '{"variables": {}}',
    '{"query":"{ __typename }","variables":"x"}',
    '{"query":"{ __typename }","variables":[1]}',
    '{"query":"{ __typename }","operationName":5}',
    '{"query":"{ __typename }","extensions":"x"}',
  ]) {
    add({ name: `malformed JSON ${JSON.stringify(body).slice(0, 30)}`, body, status: 400 });
  }
  // Malformed GraphQL.
  for (const query of [
    "{",
    "}",
    "{ subject(id: ) { id } }",
    '{ subject(id: "S" { id } }',
    "query { ...F }",
    "fragment F on Subject { id }",
    "{ subject(id: 1) }",
    "{ nope }",
    '{ subject(id: "S") { nope } }',
    "{ subject { id } }",
    "mutation { nope }",
    "subscription { x }",
    '{ subject(id: "S") { id ... on Nope { id } } }',
    "query Q { __typename } query Q { __typename }",
    "query($a: Int) { __typename }x",
    "{ __schema { nope } }",
    '{ subject(id: "S", extra: 1) { id } }',
    '{ searchSubjects(first: "ten") { score } }',
    "{ enquiries(status: MAYBE) { id } }",
    "query($id: ID!) { subject(id: $id) { id } }",
    '{ subject(id: "S") { name } }',
    '{ subject(id: "S") { id @skip } }',
    '{ subject(id: "S") { id @nope } }',
    'fragment F on Subject { ...F } { subject(id: "S") { ...F } }',
    '{ a: subject(id: "1") { id } a: enquiry(id: "1") { id } }',
    "query { __typename } mutation { __typename }",
    '{ subject(id: "S") { household(first: 1) { id } } }',
    '{ subject(id: "\\u0000") { id } ',
    '{ "string" }',
    '{ subject(id: "S") { id }',
  ]) {
    add({ name: `bad GraphQL ${query.slice(0, 40)}`, body: gql(query), status: [400] });
  }
  // Deep nesting.
  for (let depth = 13; depth <= 70; depth++) {
    let q = "id";
    for (let i = 0; i < depth; i++) q = `household { ${q} }`;
    add({
      name: `nesting ${depth} deep`,
      body: gql(`{ subject(id: "S-1001") { ${q} } }`),
      status: 400,
    });
  }
  // Alias floods.
  for (const n of [31, 40, 60, 100, 200, 400, 800, 1000, 1500, 2000]) {
    const fields = Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ");
    add({ name: `${n} aliases`, body: gql(`{ ${fields} }`), status: 400 });
  }
  // Fragment bombs.
  for (const fan of [7, 8, 9, 10, 11, 12, 13, 14, 15]) {
    for (const levels of [4, 5, 6]) {
      const defs = Array.from(
        { length: levels },
        (_, l) =>
          `fragment F${l} on Subject { ${Array.from({ length: fan }, () => (l + 1 < levels ? `...F${l + 1}` : "household { id }")).join(" ")} }`,
      ).join(" ");
      add({
        name: `fragment bomb fan ${fan} x ${levels}`,
        body: gql(`{ subjects(ids: ["S-1001"]) { ...F0 } } ${defs}`),
        status: 400,
      });
    }
  }
  // Token floods and huge bodies.
  for (const n of [6000, 20000, 50000])
    add({ name: `${n} tokens`, body: gql(`{ ${"__typename ".repeat(n)} }`), status: [400, 413] });
  for (const kb of [101, 200, 1000, 5000])
    add({
      name: `${kb} KB body`,
      body: gql(`{ __typename }`, { pad: "x".repeat(kb * 1024) }),
      status: 413,
    });
  // Batched arrays.
  for (const n of [1, 2, 10, 100])
    add({
      name: `batch of ${n}`,
      body: JSON.stringify(Array.from({ length: n }, () => JSON.parse(ok))),
      status: 400,
    });
  // Tokens: missing, malformed, forged, expired, wrong audience, alg none.
  const forged = [
    "",
    "Bearer",
    "Bearer ",
    "bearer abc",
    "Basic dXNlcjpwYXNz",
    "Bearer a.b",
    "Bearer a.b.c.d",
    "Bearer ....",
    `Bearer ${b64({ alg: "none" })}.${b64({ sub: "sw.patel", roles: ["mash_manager"] })}.`,
    `Bearer ${b64({ alg: "HS256" })}.${b64({ sub: "sw.patel", roles: ["mash_manager"] })}.c2lnbmF0dXJl`,
    `Bearer ${b64({ alg: "ES256", kid: "dev" })}.${b64({ sub: "sw.patel", roles: ["mash_manager"], exp: 1 })}.AAAA`,
    `Bearer ${b64({ alg: "RS256" })}.${b64({ sub: "x", iss: "urn:mash-gateway:development", aud: "mash-gateway", exp: 9999999999, roles: [] })}.AAAA`,
    `Bearer ${"a".repeat(5000)}.${"b".repeat(5000)}.${"c".repeat(100)}`,
    "Bearer eyJ.eyJ.eyJ",
    "Bearer %%%.%%%.%%%",
    "Bearer null",
    "Bearer undefined",
    "Token abc.def.ghi",
    "Bearer abc.def.ghi, Bearer abc.def.ghi",
    "Bearer \tabc.def.ghi",
  ];
  for (const [i, authorization] of forged.entries()) {
    cases.push({
      name: `forged token ${i}`,
      signedIn: false,
      headers: authorization ? { authorization } : {},
      body: ok,
      status: 401,
    });
  }
  // Purpose headers.
  for (const id of [
    "ENQ-404",
    "ENQ-0",
    "nope",
    "ENQ-2001'; drop table",
    "../../etc",
    "ENQ-99999999",
    "x".repeat(65),
    "ENQ 2001",
    "ENQ-2001\\n",
    "<script>",
  ]) {
    add({
      name: `enquiry ${id.slice(0, 20)}`,
      headers: { "x-mash-enquiry": id },
      body: ok,
      status: 400,
    });
  }
  for (const reason of [
    "x",
    "short",
    "please",
    "1234567890123456789",
    " ".repeat(30),
    "urgent!",
    "need it now",
    "a b c d e f g",
    "because",
    "reasons.....",
  ]) {
    add({
      name: `break glass "${reason.slice(0, 12)}"`,
      headers: { "x-mash-enquiry": "ENQ-2002", "x-mash-break-glass": reason },
      body: ok,
      status: 400,
    });
  }
  // Methods, content types and CSRF.
  add({
    name: "GET without preflight header (CSRF)",
    method: "GET",
    body: undefined,
    headers: { accept: "application/json" },
    status: 400,
  });
  add({
    name: "POST as a form (CSRF)",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "query=%7B__typename%7D",
    status: 400,
  });
  add({
    name: "POST as text (CSRF)",
    headers: { "content-type": "text/plain" },
    body: ok,
    status: 400,
  });
  add({ name: "PUT", method: "PUT", body: ok, status: [400, 405] });
  add({ name: "DELETE", method: "DELETE", body: ok, status: [400, 405] });
  add({ name: "PATCH", method: "PATCH", body: ok, status: [400, 405] });
  add({
    name: "GET mutation",
    method: "GET",
    headers: { "apollo-require-preflight": "1" },
    body: undefined,
    status: 405,
  });
  add({
    name: "cross-origin preflight",
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    body: undefined,
    signedIn: false,
    status: 403,
  });
  add({ name: "empty POST", body: "", status: 400 });
  add({ name: "JSON without query", body: "{}", status: 400 });
  // Reserved aliases and variable abuse.
  for (const alias of [
    "_authz_id",
    "_authz_sealed",
    "_authz_handlingCode",
    "_authz_x",
    "_authz_",
  ]) {
    add({
      name: `reserved alias ${alias}`,
      body: gql(`{ subject(id: "S-1001") { ${alias}: id } }`),
      status: [200, 400],
    });
  }
  for (const variables of [
    { id: 1.5 },
    { id: null },
    { id: ["a"] },
    { id: { a: 1 } },
    {},
    { id: true },
    { ids: "S-1" },
    { first: -1 },
    { first: "x" },
    { name: 5 },
  ]) {
    add({
      name: `variables ${JSON.stringify(variables)}`,
      body: gql("query($id: ID!) { subject(id: $id) { id } }", variables),
      status: 400,
    });
  }
  // Which operation to run: none named among several, or a name that matches none.
  const two = "query A { __typename } query B { __typename }";
  add({ name: "two operations without operationName", body: gql(two), status: 400 });
  for (const operationName of ["C", "", "a", "A B"])
    add({
      name: `operationName ${JSON.stringify(operationName)} matching none`,
      body: JSON.stringify({ query: two, operationName }),
      status: 400,
    });
  add({
    name: "operationName for an anonymous operation",
    body: JSON.stringify({ query: "{ __typename }", operationName: "X" }),
    status: 400,
  });
  // Values a subgraph's scalar rejects: the client's mistake, named, never the agency "down".
  for (const dateOfBirth of ["14/03/2017", "2017-02-30", "2017-13-01", "yesterday", "2017-3-4"]) {
    add({
      name: `date of birth ${dateOfBirth} as a literal`,
      body: gql(`{ searchSubjects(name: "Amelia Doe", dateOfBirth: "${dateOfBirth}") { score } }`),
      headers: { "x-mash-enquiry": "ENQ-2001" },
      status: 400,
    });
    add({
      name: `date of birth ${dateOfBirth} as a variable`,
      body: gql(
        'query($d: Date) { searchSubjects(name: "Amelia Doe", dateOfBirth: $d) { score } }',
        {
          d: dateOfBirth,
        },
      ),
      headers: { "x-mash-enquiry": "ENQ-2001" },
      status: 400,
    });
  }
  // Break glass from a role that may not (sw.patel is a social worker): refused, never ignored.
  add({
    name: "break glass from a role that may not",
    body: ok,
    headers: { "x-mash-break-glass": "Child at immediate risk; I need to see everything now." },
    status: 403,
  });
  return cases;
}
