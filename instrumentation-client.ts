// Runs in the browser before the app hydrates (Next's instrumentation-client convention).
//
// zod 4 compiles object parsers with `new Function` when eval is allowed, and finds out by
// trying it the first time a schema is built. Under Portico's Content-Security-Policy (no eval:
// lib/http/security-headers.ts) that probe fails harmlessly but is reported as a CSP violation
// ("script-src eval") on every page with a form. `jitless` skips the probe and the compiled
// parsers in the browser; the server keeps them.
import { config } from "zod/v4/core";

config({ jitless: true });
