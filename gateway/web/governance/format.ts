import type { Access } from "./types.ts";

/** Words, not colour alone, say what a cell means; the CSS class only adds a tint and an icon. */
export const ACCESS_LABEL: Readonly<Record<Access, string>> = {
  ALLOWED: "Allowed",
  CONDITIONAL: "Conditional",
  DENIED: "Denied",
};

export const accessClass = (access: Access) => `gov-access gov-access-${access.toLowerCase()}`;

export const words = (slug: string) => slug.replace(/[-_]+/g, " ");

const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** Times in UTC, said so: officers in different places read the same log. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${DATE_TIME.format(date)} UTC`;
}

export const PURPOSE_LABEL: Readonly<Record<string, string>> = {
  outside: "Outside an enquiry",
  inEnquiry: "In an enquiry",
  breakGlass: "Break glass",
};

/** "1 change", "2 changes": status lines are read aloud, so the grammar matters. */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
