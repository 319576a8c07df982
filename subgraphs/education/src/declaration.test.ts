import { describeInitialMigration } from "@mash/kit/testing";
import { education } from "./index.ts";

describeInitialMigration(education, new URL("./0001_initial.sql", import.meta.url));
