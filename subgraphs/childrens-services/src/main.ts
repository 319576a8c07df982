import { runAgency } from "@mash/kit";
import { childrensServices } from "./index.ts";

await runAgency(childrensServices, process.env);
