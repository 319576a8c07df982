import type { UnavailableAgency, WithheldField } from "@mash/client-kit";

const under = (path: string | undefined, prefix: string) =>
  path !== undefined && (path === prefix || path.startsWith(`${prefix}.`));

/** The kit's withheld fields at or under a path (`subject.health`). */
export const notesUnder = (notes: readonly WithheldField[], prefix: string) =>
  notes.filter((note) => under(note.path, prefix));

/** The unavailable agencies whose part is at or under a path. */
export const unavailableUnder = (missing: readonly UnavailableAgency[], prefix: string) =>
  missing.filter((agency) => under(agency.path, prefix) || under(prefix, agency.path ?? "\0"));
