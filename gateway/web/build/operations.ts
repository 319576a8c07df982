import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Kind, parse } from "graphql";

/** One contract operation as the console ships it: the file's text, untouched, under its name. */
export interface ContractOperation {
  readonly name: string;
  readonly document: string;
}

/**
 * Reads the contract operations at build time. Parsing them here means a malformed or unnamed
 * operation fails the build instead of shipping a console tab that cannot run.
 */
export async function loadOperations(dir: string): Promise<ContractOperation[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".graphql"));
  const operations: ContractOperation[] = [];
  for (const file of files) {
    const document = (await readFile(join(dir, file), "utf8")).trim();
    const names = parse(document).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name
        ? [definition.name.value]
        : [],
    );
    const [name] = names;
    if (names.length !== 1 || name === undefined) {
      throw new Error(`${file}: expected exactly one named operation, found ${names.length}`);
    }
    operations.push({ name, document: `${document}\n` });
  }
  if (operations.length === 0) throw new Error(`no .graphql operations in ${dir}`);
  // readdir order depends on the file system; sorting keeps the bundle byte-for-byte reproducible.
  return operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
