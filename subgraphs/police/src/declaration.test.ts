import { describeInitialMigration } from "@mash/kit/testing";
import { police } from "./index.ts";

describeInitialMigration(police, new URL("./0001_initial.sql", import.meta.url));
