/** Agencies and enumerations in the words a practitioner reads. */

export { agencyName } from "../shared/agency-name.ts";

/** `SHARE_WITH_CONDITIONS` as "share with conditions". */
export const enumWords = (value: string | null | undefined): string =>
  value ? value.toLowerCase().replaceAll("_", " ") : "";

/** `attendancePercent` as "attendance percent". */
export const fieldWords = (name: string): string =>
  name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

export const personName = (name: { given: string; family: string } | null | undefined) =>
  name ? `${name.given} ${name.family}` : "Name withheld";

/** A date-time as the practitioner's clock shows it, in British order. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // A plain date (YYYY-MM-DD) has no time to show.
  return /^\d{4}-\d\d-\d\d$/.test(iso)
    ? date.toLocaleDateString("en-GB", { timeZone: "UTC", dateStyle: "medium" })
    : date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}
