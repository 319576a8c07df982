import { runAgency } from "@mash/kit";
import { adultSocialCare } from "./index.ts";

await runAgency(adultSocialCare, process.env);
