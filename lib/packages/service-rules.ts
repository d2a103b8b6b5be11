/**
 * Rules for the identifiers and secrets customers choose. Shared by the browser (live checks)
 * and the server (the authority), so they must stay free of server code.
 */
export const USERNAME_MIN = 2;
export const USERNAME_MAX = 32;

export const RESERVED_USERNAMES = new Set([
  "abuse", "admin", "administrator", "billing", "daemon", "ftp", "help", "hostmaster", "info", "mail",
  "mailer-daemon", "news", "noc", "nobody", "noreply", "no-reply", "operator", "postmaster", "root", "sales",
  "security", "support", "sysadmin", "system", "uucp", "webmaster", "www",
]);

/** Returns an error message, or null when the username is acceptable. */
export function usernameProblem(username: string): string | null {
  const u = username.trim().toLowerCase();
  if (u.length < USERNAME_MIN) return `Username must be at least ${USERNAME_MIN} characters`;
  if (u.length > USERNAME_MAX) return `Username must be at most ${USERNAME_MAX} characters`;
  if (!/^[a-z]/.test(u)) return "Username must start with a letter";
  if (!/^[a-z0-9._-]+$/.test(u)) return "Username may contain only letters, digits, dots, hyphens and underscores";
  if (/[._-]$/.test(u)) return "Username must end with a letter or digit";
  if (/[._-]{2}/.test(u)) return "Username cannot have two punctuation marks in a row";
  if (RESERVED_USERNAMES.has(u)) return "That username is reserved";
  return null;
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Freeside-like policy: 8+ characters, three of four character groups, not the username. */
export function passwordProblem(password: string, context: { username?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN) return `Password must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters`;
  const groups = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (groups < 3) return "Password must mix at least three of: lower-case letters, upper-case letters, digits, symbols";
  const u = context.username?.trim().toLowerCase();
  if (u && u.length >= 3 && password.toLowerCase().includes(u)) return "Password must not contain the username";
  return null;
}

/** Voicemail / login PIN: 4–8 digits. */
export function pinProblem(pin: string): string | null {
  if (!/^\d{4,8}$/.test(pin)) return "PIN must be 4 to 8 digits";
  return null;
}

/** A phone number as digits (10 for North America, 4–15 otherwise). */
export function phoneNumberProblem(countrycode: string, phonenum: string): string | null {
  const digits = phonenum.replace(/[^0-9]/g, "");
  if (countrycode === "1" && digits.length !== 10) return "Phone number must have 10 digits";
  if (digits.length < 4 || digits.length > 15) return "Phone number must have 4 to 15 digits";
  return null;
}

export function domainProblem(domain: string): string | null {
  const d = domain.trim().toLowerCase();
  if (d.length > 80) return "Domain must be at most 80 characters";
  if (!/^(?=.{1,80}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d)) return "Enter a domain name like example.com";
  return null;
}
