import { runAgency } from "@mash/kit";
import { education } from "./index.ts";

await runAgency(education, process.env);
