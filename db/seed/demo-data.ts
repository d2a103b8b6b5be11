import type { NewTaxRegion } from "../../lib/catalog/catalog-admin";

/**
 * The demo ISP's fixed data: regions and taxes, access numbers, the catalogue, places and names.
 * Small built-in lists; the seed picks from them with a seeded PRNG.
 */

export const DEMO_ISP = "Northwind Broadband";
/** The agent whose presence marks a seeded database. */
export const DEMO_MARKER_AGENT = "Northwind Direct";
export const DEMO_PARTNER_AGENT = "Harbor Net Partners";
export const DEMO_DOMAIN = "northwind.example";
export const PARTNER_DOMAIN = "harbornet.example";
/** `npm start`'s own origins, and the host page the signup e2e test serves on another origin (e2e/signup.spec.ts). */
export const DEMO_EMBED_ORIGINS = ["http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:3187"];

export const TAX_REGIONS: NewTaxRegion[] = [
  // United States: state-wide rows, and county rows where the county rate differs.
  { country: "US", state: "CA", tax: "7.25", taxname: "CA sales tax" },
  { country: "US", state: "CA", county: "Alameda", tax: "10.25", taxname: "CA sales tax" },
  { country: "US", state: "CA", county: "San Francisco", tax: "8.625", taxname: "CA sales tax" },
  { country: "US", state: "CA", county: "Los Angeles", tax: "9.5", taxname: "CA sales tax" },
  { country: "US", state: "WA", tax: "6.5", taxname: "WA sales tax" },
  { country: "US", state: "WA", county: "King", tax: "10.1", taxname: "WA sales tax" },
  { country: "US", state: "WA", county: "Pierce", tax: "9.4", taxname: "WA sales tax" },
  { country: "US", state: "NY", tax: "4", taxname: "NY sales tax" },
  { country: "US", state: "TX", tax: "6.25", taxname: "TX sales tax" },
  { country: "US", state: "OR", tax: "0" },
  // Canada
  { country: "CA", state: "ON", tax: "13", taxname: "HST" },
  { country: "CA", state: "BC", tax: "5", taxname: "GST" },
  { country: "CA", state: "BC", tax: "7", taxname: "PST" },
  { country: "CA", state: "QC", tax: "5", taxname: "GST" },
  { country: "CA", state: "QC", tax: "9.975", taxname: "QST" },
  { country: "CA", state: "AB", tax: "5", taxname: "GST" },
  // A few other countries
  { country: "GB", tax: "20", taxname: "VAT" },
  { country: "DE", tax: "19", taxname: "USt" },
  { country: "NL", tax: "21", taxname: "BTW" },
  { country: "AU", tax: "10", taxname: "GST" },
];

/** Dial-up access numbers (svc_acct_pop): 555 numbers, fictional. */
export const ACCESS_NUMBERS = [
  { city: "Oakland", state: "CA", ac: "510", exch: "555", loc: "0140" },
  { city: "San Francisco", state: "CA", ac: "415", exch: "555", loc: "0141" },
  { city: "Los Angeles", state: "CA", ac: "213", exch: "555", loc: "0142" },
  { city: "San Jose", state: "CA", ac: "408", exch: "555", loc: "0143" },
  { city: "Sacramento", state: "CA", ac: "916", exch: "555", loc: "0144" },
  { city: "Seattle", state: "WA", ac: "206", exch: "555", loc: "0145" },
  { city: "Tacoma", state: "WA", ac: "253", exch: "555", loc: "0146" },
  { city: "Spokane", state: "WA", ac: "509", exch: "555", loc: "0147" },
  { city: "Portland", state: "OR", ac: "503", exch: "555", loc: "0148" },
  { city: "Eugene", state: "OR", ac: "541", exch: "555", loc: "0149" },
  { city: "New York", state: "NY", ac: "212", exch: "555", loc: "0150" },
  { city: "Buffalo", state: "NY", ac: "716", exch: "555", loc: "0151" },
  { city: "Austin", state: "TX", ac: "512", exch: "555", loc: "0152" },
  { city: "Dallas", state: "TX", ac: "214", exch: "555", loc: "0153" },
  { city: "Houston", state: "TX", ac: "713", exch: "555", loc: "0154" },
];

/** Package definitions, by key. Fees in cents; freq in months (0 = one-time). */
export type PkgKey =
  | "dsl25"
  | "dsl50"
  | "fibre300"
  | "fibre1000"
  | "fibre300Annual"
  | "fibre1000Annual"
  | "dialup"
  | "voip"
  | "hosting"
  | "install"
  | "router"
  | "staticIp"
  | "harborBusiness500";

export type SvcKey = "acct" | "phone" | "domain" | "staticIp";

export interface DemoPackageDefinition {
  key: PkgKey;
  pkg: string;
  comment: string;
  description: string;
  freqMonths: number;
  setupFeeCents: number;
  recurFeeCents: number;
  taxclass?: string;
  signupOffer?: boolean;
  /** Only this agent sells it (agent-specific package). */
  partnerOnly?: boolean;
  /** Sold by the partner's agent type too. */
  partner: boolean;
  service?: SvcKey;
}

export const CATALOGUE: DemoPackageDefinition[] = [
  { key: "dsl25", pkg: "DSL 25", comment: "25/5 Mbps DSL", description: "Everyday broadband over your phone line: 25 Mbps down, 5 Mbps up, no data cap.", freqMonths: 1, setupFeeCents: 4900, recurFeeCents: 3995, signupOffer: true, partner: true, service: "acct" },
  { key: "dsl50", pkg: "DSL 50", comment: "50/10 Mbps DSL", description: "Faster DSL for busy homes: 50 Mbps down, 10 Mbps up, no data cap.", freqMonths: 1, setupFeeCents: 4900, recurFeeCents: 5495, signupOffer: true, partner: true, service: "acct" },
  { key: "fibre300", pkg: "Fibre 300", comment: "300/300 Mbps fibre, monthly", description: "Symmetric 300 Mbps fibre to the home, billed monthly.", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 6995, signupOffer: true, partner: true, service: "acct" },
  { key: "fibre1000", pkg: "Fibre 1000", comment: "1 Gbps fibre, monthly", description: "Symmetric gigabit fibre to the home, billed monthly.", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 9995, signupOffer: true, partner: true, service: "acct" },
  { key: "fibre300Annual", pkg: "Fibre 300 (annual)", comment: "300/300 Mbps fibre, paid yearly", description: "Symmetric 300 Mbps fibre, paid yearly: two months free.", freqMonths: 12, setupFeeCents: 0, recurFeeCents: 69900, signupOffer: true, partner: false, service: "acct" },
  { key: "fibre1000Annual", pkg: "Fibre 1000 (annual)", comment: "1 Gbps fibre, paid yearly", description: "Symmetric gigabit fibre, paid yearly: two months free.", freqMonths: 12, setupFeeCents: 0, recurFeeCents: 99900, signupOffer: true, partner: false, service: "acct" },
  { key: "dialup", pkg: "Dial-up 56k", comment: "56k dial-up with local access numbers", description: "Unlimited 56k dial-up through local access numbers in five states.", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 995, signupOffer: true, partner: false, service: "acct" },
  { key: "voip", pkg: "VoIP line", comment: "Home phone over the Internet", description: "A phone number with unlimited calls in the US and Canada, voicemail and caller ID.", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 2495, taxclass: "telecom", signupOffer: true, partner: true, service: "phone" },
  { key: "hosting", pkg: "Domain hosting", comment: "Web and e-mail hosting for your domain", description: "Hosting for your own domain: web space, 10 mailboxes, DNS.", freqMonths: 1, setupFeeCents: 0, recurFeeCents: 995, signupOffer: true, partner: true, service: "domain" },
  { key: "install", pkg: "Installation", comment: "Professional installation (one-time)", description: "A technician installs and tests your connection.", freqMonths: 0, setupFeeCents: 9900, recurFeeCents: 0, partner: true },
  { key: "router", pkg: "Wi-Fi router", comment: "Wi-Fi 6 router (one-time purchase)", description: "A Wi-Fi 6 router, yours to keep.", freqMonths: 0, setupFeeCents: 8900, recurFeeCents: 0, partner: false },
  { key: "staticIp", pkg: "Static IP add-on", comment: "One fixed public IPv4 address", description: "A fixed public IPv4 address for servers, VPNs and cameras.", freqMonths: 1, setupFeeCents: 1000, recurFeeCents: 500, partner: true, service: "staticIp" },
  { key: "harborBusiness500", pkg: "Harbor Business Fibre 500", comment: "500/500 Mbps business fibre (Harbor Net)", description: "Business-grade 500 Mbps fibre with a 4-hour repair promise.", freqMonths: 1, setupFeeCents: 19900, recurFeeCents: 14900, partnerOnly: true, partner: true, service: "acct" },
];

export interface Place {
  city: string;
  county?: string;
  state?: string;
  country: string;
  zips: string[];
  /** Area code for phone numbers (North America). */
  ac?: string;
  /** International dialling code and a local-number prefix (elsewhere). */
  intl?: { cc: string; prefix: string };
  weight: number;
}

export const PLACES: Place[] = [
  { city: "Oakland", county: "Alameda", state: "CA", country: "US", zips: ["94607", "94610", "94612"], ac: "510", weight: 5 },
  { city: "Berkeley", county: "Alameda", state: "CA", country: "US", zips: ["94704", "94710"], ac: "510", weight: 3 },
  { city: "Fremont", county: "Alameda", state: "CA", country: "US", zips: ["94536", "94538"], ac: "510", weight: 2 },
  { city: "San Francisco", county: "San Francisco", state: "CA", country: "US", zips: ["94110", "94114", "94117"], ac: "415", weight: 5 },
  { city: "Los Angeles", county: "Los Angeles", state: "CA", country: "US", zips: ["90012", "90026", "90039"], ac: "213", weight: 4 },
  { city: "Pasadena", county: "Los Angeles", state: "CA", country: "US", zips: ["91101", "91103"], ac: "626", weight: 2 },
  { city: "Sacramento", state: "CA", country: "US", zips: ["95814", "95816"], ac: "916", weight: 2 },
  { city: "Seattle", county: "King", state: "WA", country: "US", zips: ["98101", "98103", "98115"], ac: "206", weight: 5 },
  { city: "Bellevue", county: "King", state: "WA", country: "US", zips: ["98004"], ac: "425", weight: 2 },
  { city: "Tacoma", county: "Pierce", state: "WA", country: "US", zips: ["98402", "98405"], ac: "253", weight: 2 },
  { city: "Spokane", state: "WA", country: "US", zips: ["99201"], ac: "509", weight: 1 },
  { city: "Portland", state: "OR", country: "US", zips: ["97205", "97214"], ac: "503", weight: 3 },
  { city: "Eugene", state: "OR", country: "US", zips: ["97401"], ac: "541", weight: 1 },
  { city: "New York", state: "NY", country: "US", zips: ["10001", "10027"], ac: "212", weight: 3 },
  { city: "Buffalo", state: "NY", country: "US", zips: ["14202"], ac: "716", weight: 1 },
  { city: "Austin", state: "TX", country: "US", zips: ["78701", "78704"], ac: "512", weight: 3 },
  { city: "Dallas", state: "TX", country: "US", zips: ["75201"], ac: "214", weight: 2 },
  { city: "Toronto", state: "ON", country: "CA", zips: ["M5V 2T6", "M4C 1B5"], ac: "416", weight: 3 },
  { city: "Ottawa", state: "ON", country: "CA", zips: ["K1P 5J2"], ac: "613", weight: 1 },
  { city: "Vancouver", state: "BC", country: "CA", zips: ["V6B 1A1", "V5K 0A1"], ac: "604", weight: 3 },
  { city: "Victoria", state: "BC", country: "CA", zips: ["V8W 1P6"], ac: "250", weight: 1 },
  { city: "Montréal", state: "QC", country: "CA", zips: ["H2X 1Y4"], ac: "514", weight: 2 },
  { city: "Calgary", state: "AB", country: "CA", zips: ["T2P 1J9"], ac: "403", weight: 1 },
  { city: "London", country: "GB", zips: ["EC1A 1BB", "SW1A 2AA"], intl: { cc: "44", prefix: "20 7946 0" }, weight: 2 },
  { city: "Manchester", country: "GB", zips: ["M1 1AE"], intl: { cc: "44", prefix: "161 496 0" }, weight: 1 },
  { city: "Berlin", country: "DE", zips: ["10115", "10247"], intl: { cc: "49", prefix: "30 5550 1" }, weight: 2 },
  { city: "Amsterdam", country: "NL", zips: ["1011 AB", "1017 CT"], intl: { cc: "31", prefix: "20 555 0" }, weight: 2 },
  { city: "Sydney", country: "AU", zips: ["2000"], intl: { cc: "61", prefix: "2 5550 1" }, weight: 2 },
];

export const STREETS: Record<string, string[]> = {
  US: ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine St", "Elm St", "Lakeview Rd", "Hillside Ave", "Park Pl", "Mission St", "College Ave", "River Rd", "Sunset Blvd", "Broadway"],
  CA: ["Queen St W", "King St E", "Main St", "Granville St", "Rue Saint-Denis", "Bank St", "Douglas St"],
  GB: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"],
  DE: ["Hauptstraße", "Gartenstraße", "Schillerstraße", "Bahnhofstraße"],
  NL: ["Prinsengracht", "Keizersgracht", "Kerkstraat", "Molenweg"],
  AU: ["George St", "Pitt St", "Elizabeth St", "Harbour Rd"],
};

export const FIRST_NAMES = [
  "Aisha", "Ben", "Chloe", "Diego", "Elena", "Farid", "Grace", "Hiro", "Inès", "Jamal", "Kate", "Liam", "Maya", "Noah",
  "Olga", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wendy", "Xavier", "Yara", "Zoë", "José", "Mei",
  "Oscar", "Hannah", "Ravi", "Sofia", "Tom", "Leila", "Marcus", "Nina", "Pedro", "Greta", "Kofi", "Anika",
];

export const LAST_NAMES = [
  "Anderson", "Bauer", "Chen", "Dubois", "Eriksen", "Fernández", "Garcia", "Haddad", "Ivanova", "Jensen", "Kim", "Lopez",
  "Müller", "Nakamura", "O'Brien", "Patel", "Quinn", "Rossi", "Singh", "Thompson", "Usman", "Virtanen", "Walsh",
  "Yamamoto", "Zhang", "Novak", "Kowalczyk", "Okonkwo", "Reyes", "Schmidt", "Taylor", "Williams", "Brown", "Lindqvist",
  "Moreau", "Costa",
];

export const COMPANIES = [
  "Bayside Dental Group",
  "Cascade Coffee Roasters",
  "Pinecrest Architects",
  "Lakeshore Legal LLP",
  "Redwood Analytics",
  "Maple & Finch Design",
  "Summit Physio",
  "Blue Heron Books",
];

export const EMAIL_DOMAINS = ["example.com", "example.net", "example.org"];
