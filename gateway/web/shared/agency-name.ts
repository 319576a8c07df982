/** Agencies in the words a person reads, as every app names them. */

const AGENCIES: Readonly<Record<string, string>> = {
  police: "Police",
  health: "Health",
  education: "Education",
  probation: "Probation",
  "childrens-services": "Children's social care",
  "adult-social-care": "Adult social care",
  mash: "MASH hub",
};

export const agencyName = (agency: string): string => AGENCIES[agency] ?? agency;
