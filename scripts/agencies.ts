import { adultSocialCare } from "@mash/adult-social-care";
import { childrensServices } from "@mash/childrens-services";
import { education } from "@mash/education";
import { health } from "@mash/health";
import type { AnyAgency } from "@mash/kit";
import { ROSTER } from "@mash/kit/roster";
import { mash } from "@mash/mash";
import { police } from "@mash/police";
import { probation } from "@mash/probation";

const definitions: readonly AnyAgency[] = [
  mash,
  police,
  childrensServices,
  health,
  education,
  probation,
  adultSocialCare,
];

/** Every agency of the default hub, in the roster's order (the hub first). */
export const agencies: AnyAgency[] = ROSTER.map((entry) => {
  const agency = definitions.find((definition) => definition.name === entry.name);
  if (!agency) throw new Error(`No definition for ${entry.name}, which the roster names`);
  return agency;
});
