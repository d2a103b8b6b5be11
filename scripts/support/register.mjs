// `node --import ./scripts/support/register.mjs file.ts` runs Portico's TypeScript outside Next:
// tsx for TypeScript and path aliases, plus the server-only hook.
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

register("./server-only-hooks.mjs", import.meta.url);
registerTsx();
