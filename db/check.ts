// `npm run db:check`: the billing engine's money rules, verified over the whole database
// (DATABASE_URL, else PGlite in PGLITE_DIR): every invoice's lines add up to its total,
// applications never exceed a payment, credit, refund or invoice, owed = charged − applications,
// and each customer's balance = invoices − payments − credits + refunds. Prints a summary with up
// to 10 examples per broken rule and exits 1 on any violation.
import { databaseFromEnv, loadDotEnv } from "./seed/env-file";

loadDotEnv();
const { openDb } = await import("./client");
const { runConsistencyChecks } = await import("./consistency");

const target = databaseFromEnv();
console.log(`Database: ${target.label}`);
const handle = await openDb({ url: target.url, pgliteDir: target.pgliteDir, poolMax: 1, migrate: false });
const fmt = (n: number) => n.toLocaleString("en-US");
let exitCode = 0;
try {
  const started = performance.now();
  const outcomes = await runConsistencyChecks(handle.db, {
    examples: 10,
    onCheck: (o) => {
      const status = o.violations === 0 ? "PASS" : "FAIL";
      console.log(`${status}  ${o.name}: ${fmt(o.checked)} checked, ${fmt(o.violations)} violations (${(o.ms / 1000).toFixed(1)} s)`);
      if (o.violations) {
        console.log(`      rule: ${o.description}`);
        for (const e of o.examples) console.log(`      - ${e}`);
        if (o.violations > o.examples.length) console.log(`      … and ${fmt(o.violations - o.examples.length)} more`);
      }
    },
  });
  const failed = outcomes.filter((o) => o.violations > 0);
  console.log("");
  console.log(
    failed.length === 0
      ? `All ${outcomes.length} checks passed in ${((performance.now() - started) / 1000).toFixed(1)} s.`
      : `${failed.length} of ${outcomes.length} checks failed (${fmt(failed.reduce((s, o) => s + o.violations, 0))} violations).`,
  );
  exitCode = failed.length ? 1 : 0;
} catch (e) {
  console.error("db:check could not run:", e);
  exitCode = 2;
} finally {
  await handle.close();
}
process.exit(exitCode);
