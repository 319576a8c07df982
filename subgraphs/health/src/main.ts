import { runAgency } from "@mash/kit";
import { health } from "./index.ts";

await runAgency(health, process.env);
