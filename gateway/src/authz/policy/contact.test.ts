import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { supergraphFile } from "../../compose/schema-files.ts";
import { defaultPoliciesDir, loadPolicies } from "./load.ts";

// roles.yaml's `contact` per agency: loaded as one frozen object, or refused with file and line.

const supergraphSdl = readFileSync(supergraphFile, "utf8");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mash-contacts-"));
  cpSync(defaultPoliciesDir, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const POLICE_CONTACT = `    contact:
      name: Police MASH desk
      phone: 01632 960001
      email: mash.police@example.invalid
`;

function editRoles(from: string, to: string) {
  const path = join(dir, "roles.yaml");
  const text = readFileSync(path, "utf8");
  expect(text, "roles.yaml contains the text to replace").toContain(from);
  writeFileSync(path, text.replace(from, to));
}

const lineText = (line: number | undefined) =>
  readFileSync(join(dir, "roles.yaml"), "utf8").split("\n")[(line ?? 0) - 1] ?? "";

describe("agency contact points (roles.yaml)", () => {
  it("loads each agency's contact as one frozen object naming the agency", () => {
    const { policy, problems } = loadPolicies({ dir, supergraphSdl });
    expect(problems).toEqual([]);
    const police = policy?.agencies.get("police")?.contact;
    expect(police).toEqual({
      agency: "police",
      name: "Police MASH desk",
      phone: "01632 960001",
      email: "mash.police@example.invalid",
    });
    expect(Object.isFrozen(police)).toBe(true);
    // Every agency of the shipped agreement names one: every withheld field says whom to ask.
    for (const agency of policy?.agencies.values() ?? [])
      expect(agency.contact?.name, agency.name).toMatch(/\S/);
  });

  it("loads an agency without a contact (as policies:init drafts it), and one with a name only", () => {
    editRoles(POLICE_CONTACT, "");
    editRoles("      phone: 01632 960005\n      email: mash.probation@example.invalid\n", "");
    const { policy, problems } = loadPolicies({ dir, supergraphSdl });
    expect(problems).toEqual([]);
    expect(policy?.agencies.get("police")?.contact).toBeUndefined();
    expect(policy?.agencies.get("probation")?.contact).toEqual({
      agency: "probation",
      name: "Probation MASH liaison",
    });
  });

  it.each([
    [
      "an unknown key",
      "      email: mash.police@example.invalid\n",
      "      email: mash.police@example.invalid\n      fax: 01632 960099\n",
      /^roles\.yaml:(\d+): agencies\.police\.contact must NOT have additional properties \("fax"\)$/,
      "fax:",
    ],
    [
      "a contact without a name",
      "      name: Police MASH desk\n",
      "",
      /^roles\.yaml:(\d+): agencies\.police\.contact must have required property 'name'$/,
      "contact:",
    ],
    [
      "a blank name",
      "      name: Police MASH desk\n",
      '      name: "  "\n',
      /^roles\.yaml:(\d+): agencies\.police\.contact\.name must not be blank; got " {2}"$/,
      "name:",
    ],
    [
      "a malformed email",
      "      email: mash.police@example.invalid\n",
      "      email: mash.police at example.invalid\n",
      /^roles\.yaml:(\d+): agencies\.police\.contact\.email must be an email address \(name@domain\); got "mash\.police at example\.invalid"$/,
      "email:",
    ],
    [
      "a telephone number YAML reads as a number",
      "      phone: 01632 960001\n",
      "      phone: 01632960001\n",
      /^roles\.yaml:(\d+): agencies\.police\.contact\.phone must be string$/,
      "phone:",
    ],
    [
      "a telephone number with letters",
      "      phone: 01632 960001\n",
      "      phone: ring the desk\n",
      /^roles\.yaml:(\d+): agencies\.police\.contact\.phone must be a telephone number/,
      "phone:",
    ],
  ])("refuses %s, at its line", (_name, from, to, message, onLine) => {
    editRoles(from, to);
    const { policy, problems } = loadPolicies({ dir, supergraphSdl });
    expect(policy).toBeUndefined();
    const said = problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(said).toHaveLength(1);
    const line = Number(message.exec(said[0] ?? "")?.[1]);
    expect(said[0]).toMatch(message);
    expect(lineText(line)).toContain(onLine);
    // The police's own block, not another agency's contact.
    const lines = readFileSync(join(dir, "roles.yaml"), "utf8").split("\n");
    expect(
      lines
        .slice(0, line)
        .reverse()
        .find((l) => /^ {2}\S/.test(l)),
    ).toBe("  police:");
  });
});
