import { runAgency } from "@mash/kit";
import { probation } from "./index.ts";

await runAgency(probation, process.env);
