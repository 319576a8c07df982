import { describeInitialMigration } from "@mash/kit/testing";
import { adultSocialCare } from "./index.ts";

describeInitialMigration(adultSocialCare, new URL("./0001_initial.sql", import.meta.url));
