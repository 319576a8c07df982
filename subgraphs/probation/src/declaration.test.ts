import { describeInitialMigration } from "@mash/kit/testing";
import { probation } from "./index.ts";

describeInitialMigration(probation, new URL("./0001_initial.sql", import.meta.url));
