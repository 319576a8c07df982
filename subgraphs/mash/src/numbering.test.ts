import type { Store } from "@mash/kit";
import { storeBackends, useSeededStore } from "@mash/kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { recordContact } from "./contacts.ts";
import { openEnquiry } from "./enquiries.ts";
import { contact, patel } from "./hub-testing.ts";
import { mash } from "./index.ts";
import { loadSettings } from "./settings.ts";
import type { MashDB } from "./store.ts";

const settings = loadSettings({});
const AT_ONCE = 24;

// Only PostgreSQL runs transactions side by side, so only there can two numberings clash.
for (const { backend, unavailable } of (await storeBackends()).filter(
  (b) => b.backend === "postgres",
)) {
  describe.skipIf(unavailable)(`mash numbering under concurrency on ${backend}`, () => {
    const hub = useSeededStore<MashDB>(mash, backend, 20);
    let store: Store<MashDB>;
    beforeAll(() => {
      store = hub();
    });

    it(`numbers ${AT_ONCE} enquiries opened at once, one each, none refused`, async () => {
      const opened = await Promise.all(
        Array.from({ length: AT_ONCE }, () =>
          openEnquiry(store, settings, patel, {
            reason: "Concurrent opening of an enquiry",
            rag: "GREEN",
            subjectIds: ["S-1001"],
          }),
        ),
      );
      expect(new Set(opened.map((e) => e.id)).size).toBe(AT_ONCE);
    });

    it(`numbers ${AT_ONCE} contacts recorded at once, one each, none refused`, async () => {
      const recorded = await Promise.all(
        Array.from({ length: AT_ONCE }, () => recordContact(store, settings, patel, contact())),
      );
      expect(new Set(recorded.map((c) => c.id)).size).toBe(AT_ONCE);
    });
  });
}
