import { z } from "zod";
import { isEmail, optionalText, requiredText } from "@/lib/validation/fields";

/** Contact fields of cust_main, shared by edit forms, signup and the APIs. */
export function phoneField(label: string) {
  return optionalText(label, 20).refine((v) => !v || /^[0-9+().\-\s]{3,20}$/.test(v) || /^[0-9+().\-\s]{3,14}\s*(x|ext\.?)\s*\d{1,5}$/i.test(v), {
    message: `${label} must be a phone number`,
  });
}

export const customerNameFields = {
  first: requiredText("First name", 80),
  last: requiredText("Last name", 80),
  company: optionalText("Company", 80),
};

export const customerPhoneFields = {
  daytime: phoneField("Daytime phone"),
  night: phoneField("Evening phone"),
  fax: phoneField("Fax"),
  mobile: phoneField("Mobile phone"),
};

/** Freeside's invoicing_list: "a@b, c@d" (or an array), where 'POST' asks for paper invoices. */
export const MAX_INVOICE_DESTINATIONS = 10;

export function parseInvoicingList(value: unknown): { emails: string[]; postal: boolean } | { error: string } {
  let items: string[];
  if (Array.isArray(value)) items = value.map((v) => String(v));
  else if (typeof value === "string") items = value.split(/[,;\s]+/);
  else if (value === undefined || value === null) items = [];
  else return { error: "Invoice e-mail addresses must be text" };
  const emails: string[] = [];
  let postal = false;
  for (const raw of items.map((s) => s.trim()).filter(Boolean)) {
    if (raw.toUpperCase() === "POST") {
      postal = true;
      continue;
    }
    if (raw.toUpperCase() === "FAX") continue;
    if (!isEmail(raw)) return { error: `${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw} is not a valid e-mail address` };
    const lower = raw.toLowerCase();
    if (!emails.includes(lower)) emails.push(lower);
  }
  if (emails.length > MAX_INVOICE_DESTINATIONS) return { error: `At most ${MAX_INVOICE_DESTINATIONS} invoice e-mail addresses` };
  return { emails, postal };
}

export const invoicingListField = z.unknown().transform((v, ctx) => {
  if (v === undefined) return undefined;
  const parsed = parseInvoicingList(v);
  if ("error" in parsed) {
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed;
});
