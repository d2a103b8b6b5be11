/**
 * Display names for regions (the database stores ISO codes). Used by the browser form and by
 * the server-rendered fragments alike, so it must not import server code.
 */
const countryNames = new Intl.DisplayNames(["en"], { type: "region" });

export function countryName(code: string): string {
  if (!code) return "(n/a)";
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const SUBDIVISIONS: Record<string, Record<string, string>> = {
  US: {
    AL: "Alabama", AK: "Alaska", AZ: "Arizona", AR: "Arkansas", CA: "California", CO: "Colorado", CT: "Connecticut",
    DE: "Delaware", DC: "District of Columbia", FL: "Florida", GA: "Georgia", HI: "Hawaii", ID: "Idaho", IL: "Illinois",
    IN: "Indiana", IA: "Iowa", KS: "Kansas", KY: "Kentucky", LA: "Louisiana", ME: "Maine", MD: "Maryland",
    MA: "Massachusetts", MI: "Michigan", MN: "Minnesota", MS: "Mississippi", MO: "Missouri", MT: "Montana",
    NE: "Nebraska", NV: "Nevada", NH: "New Hampshire", NJ: "New Jersey", NM: "New Mexico", NY: "New York",
    NC: "North Carolina", ND: "North Dakota", OH: "Ohio", OK: "Oklahoma", OR: "Oregon", PA: "Pennsylvania",
    RI: "Rhode Island", SC: "South Carolina", SD: "South Dakota", TN: "Tennessee", TX: "Texas", UT: "Utah",
    VT: "Vermont", VA: "Virginia", WA: "Washington", WV: "West Virginia", WI: "Wisconsin", WY: "Wyoming",
  },
  CA: {
    AB: "Alberta", BC: "British Columbia", MB: "Manitoba", NB: "New Brunswick", NL: "Newfoundland and Labrador",
    NS: "Nova Scotia", NT: "Northwest Territories", NU: "Nunavut", ON: "Ontario", PE: "Prince Edward Island",
    QC: "Quebec", SK: "Saskatchewan", YT: "Yukon",
  },
  AU: {
    ACT: "Australian Capital Territory", NSW: "New South Wales", NT: "Northern Territory", QLD: "Queensland",
    SA: "South Australia", TAS: "Tasmania", VIC: "Victoria", WA: "Western Australia",
  },
};

export function stateName(country: string, state: string): string {
  if (!state) return "(n/a)";
  return SUBDIVISIONS[country]?.[state] ?? state;
}

/** A region row as the selectors need it. */
export interface RegionOption {
  country: string;
  state: string;
  county: string;
}
