import { describeInitialMigration } from "@mash/kit/testing";
import { health } from "./index.ts";

describeInitialMigration(health, new URL("./0001_initial.sql", import.meta.url));
