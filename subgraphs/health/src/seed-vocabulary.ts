import type { GpPractice } from "./declaration.ts";

// The synthetic seed's vocabulary: what the NHS records for the people it generates.

// 01632 960xxx is Ofcom's range for drama: it can never ring a real practice.
export const practices: readonly GpPractice[] = [
  { name: "Riverside Medical Practice", phone: "01632 960101" },
  { name: "Kestrel Lane Surgery", phone: "01632 960102" },
  { name: "Hawthorn Health Centre", phone: "01632 960103" },
  { name: "Orchard Family Practice", phone: "01632 960104" },
  { name: "Canal Side Surgery", phone: "01632 960105" },
  { name: "Beacon View Medical Centre", phone: "01632 960106" },
];

/** Emergency departments see most unscheduled care, as in the national figures. */
export const settings = [
  ...Array<string>(6).fill("EMERGENCY_DEPARTMENT"),
  ...Array<string>(2).fill("URGENT_TREATMENT_CENTRE"),
  "WALK_IN_CENTRE",
  "OUT_OF_HOURS_GP",
  "AMBULANCE",
];

export const reasonsByAge: readonly [maxAge: number, reasons: readonly string[]][] = [
  [
    17,
    [
      "Head injury after a fall",
      "Scald to forearm",
      "High temperature and rash",
      "Swallowed a small object",
      "Asthma attack",
      "Wrist fracture",
    ],
  ],
  [
    64,
    [
      "Chest pain",
      "Laceration to hand",
      "Overdose of prescribed medication",
      "Facial injury; said to have walked into a door",
      "Intoxicated with a head injury",
      "Abdominal pain",
      "Panic attack",
    ],
  ],
  [
    200,
    ["Fall at home", "Acute confusion", "Hypothermia", "Shortness of breath", "Urinary infection"],
  ],
];

/** The universal health visiting reviews, by days after birth, with what each one recorded. */
export const reviews: readonly [day: number, summaries: readonly string[]][] = [
  [
    12,
    [
      "New birth visit; feeding well, home conditions good",
      "New birth visit; safe sleep advice given",
    ],
  ],
  [49, ["6 to 8 week review; mother's mood discussed", "6 to 8 week review; weight gain on track"]],
  [330, ["1 year review; development on track", "1 year review; advised on home safety"]],
  [
    820,
    [
      "2 to 2.5 year review; speech delayed, referred to speech and language therapy",
      "2 to 2.5 year review; no concerns",
    ],
  ],
];

export const targetedVisits = [
  "Targeted visit following a police notification",
  "Targeted visit; home conditions poor, advice given on safe sleep",
  "Unannounced visit; no answer at the door",
  "Joint visit with the social worker",
] as const;
