import { runAgency } from "@mash/kit";
import { police } from "./index.ts";

await runAgency(police, process.env);
