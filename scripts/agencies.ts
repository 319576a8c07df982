import { adultSocialCare } from "@mash/adult-social-care";
import { childrensServices } from "@mash/childrens-services";
import { education } from "@mash/education";
import { health } from "@mash/health";
import type { AnyAgency } from "@mash/kit";
import { mash } from "@mash/mash";
import { police } from "@mash/police";
import { probation } from "@mash/probation";

/** Every agency of the default hub, the hub itself first. */
export const agencies: AnyAgency[] = [
  mash,
  police,
  childrensServices,
  health,
  education,
  probation,
  adultSocialCare,
];
