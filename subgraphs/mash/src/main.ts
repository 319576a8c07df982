import { runAgency } from "@mash/kit";
import { mash } from "./index.ts";

await runAgency(mash, process.env);
