import { describeInitialMigration } from "@mash/kit/testing";
import { childrensServices } from "./index.ts";

describeInitialMigration(childrensServices, new URL("./0001_initial.sql", import.meta.url));
