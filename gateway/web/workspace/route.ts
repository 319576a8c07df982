/** The workspace's pages, from the URL's hash: one static page serves them all. */
export type Route =
  | { readonly page: "inbox" }
  | { readonly page: "enquiry"; readonly enquiryId: string }
  | { readonly page: "person"; readonly enquiryId: string; readonly subjectId: string };

const part = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** `#/enquiry/ENQ-2001/person/S-1001`; anything else is the inbox. */
export function parseRoute(hash: string): Route {
  const segments = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(part);
  const [first, enquiryId, third, subjectId] = segments;
  if (first === "enquiry" && enquiryId) {
    if (third === "person" && subjectId) return { page: "person", enquiryId, subjectId };
    return { page: "enquiry", enquiryId };
  }
  return { page: "inbox" };
}
