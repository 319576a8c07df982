/**
 * Texts that attack a YAML reader, for the tests that show they cannot hurt (read-yaml.test.ts,
 * the lifecycle and the governance API): kept here so every suite attacks with the same ones.
 */

/** Nine of the previous anchor per level: level n expands to 9^n values ("billion laughs"). */
export function aliasBomb(levels = 7): string {
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let n = 1; n < levels; n++)
    lines.push(`l${n}: &l${n} [${Array.from({ length: 9 }, () => `*l${n - 1}`).join(",")}]`);
  return `${lines.join("\n")}\n`;
}
