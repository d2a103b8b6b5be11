/**
 * Postal code formats for the countries Portico ships regions for. Shared by the browser form
 * and the server. Countries not listed accept any 1–10 character code (or none).
 */
export const POSTAL_CODE_RULES: Record<string, { pattern: RegExp; example: string; label: string; required: boolean; normalize?: (s: string) => string }> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: "94107 or 94107-1234", label: "ZIP code", required: true },
  CA: {
    pattern: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/,
    example: "K1A 0B1",
    label: "Postal code",
    required: true,
    normalize: (s) => {
      const c = s.toUpperCase().replace(/\s+/g, "");
      return c.length === 6 ? `${c.slice(0, 3)} ${c.slice(3)}` : s.toUpperCase();
    },
  },
  GB: {
    pattern: /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/,
    example: "SW1A 1AA",
    label: "Postcode",
    required: true,
    normalize: (s) => {
      const c = s.toUpperCase().replace(/\s+/g, "");
      return c.length >= 5 ? `${c.slice(0, -3)} ${c.slice(-3)}` : s.toUpperCase();
    },
  },
  DE: { pattern: /^\d{5}$/, example: "10115", label: "Postal code", required: true },
  NL: {
    pattern: /^\d{4} [A-Z]{2}$/,
    example: "1011 AB",
    label: "Postal code",
    required: true,
    normalize: (s) => {
      const c = s.toUpperCase().replace(/\s+/g, "");
      return c.length === 6 ? `${c.slice(0, 4)} ${c.slice(4)}` : s.toUpperCase();
    },
  },
  AU: { pattern: /^\d{4}$/, example: "2000", label: "Postcode", required: true },
};

export function postalCodeLabel(country: string): string {
  return POSTAL_CODE_RULES[country]?.label ?? "Postal code";
}

/** Returns the normalised code, or an error message. */
export function checkPostalCode(country: string, zip: string): { ok: true; zip: string } | { ok: false; message: string } {
  const rule = POSTAL_CODE_RULES[country];
  const trimmed = zip.trim();
  if (!rule) {
    if (trimmed.length > 10) return { ok: false, message: "Postal code must be at most 10 characters" };
    return { ok: true, zip: trimmed };
  }
  if (!trimmed) return rule.required ? { ok: false, message: `${rule.label} is required` } : { ok: true, zip: "" };
  const normalized = rule.normalize ? rule.normalize(trimmed) : trimmed;
  if (!rule.pattern.test(normalized)) return { ok: false, message: `${rule.label} is not valid (for example ${rule.example})` };
  return { ok: true, zip: normalized };
}
