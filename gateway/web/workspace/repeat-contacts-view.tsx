import type { RepeatCount } from "./repeat-contacts.ts";
import { repeatWords } from "./repeat-contacts.ts";

/**
 * A person's contacts in the last 12 months: the figure, a "Withheld" badge where the agreement
 * withholds it (its reason is listed once on the page), or "not known"; never a 0 that is not one.
 */
export function RepeatContacts({ count }: { count: RepeatCount }) {
  switch (count.kind) {
    case "count":
      return (
        <span className={count.contacts > 1 ? "ws-repeat ws-repeat-many" : "ws-repeat"}>
          {repeatWords(count.contacts)}
        </span>
      );
    case "withheld":
      return (
        <span className="ws-repeat">
          contacts in the last 12 months: <span className="ws-badge">Withheld</span>
        </span>
      );
    case "unknown":
      return <span className="ws-repeat">contacts in the last 12 months not known</span>;
  }
}
