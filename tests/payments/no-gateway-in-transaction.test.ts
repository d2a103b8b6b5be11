import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Db, DbOrTx, Tx } from "../../db/client";
import { chargeClaimed, claimPayment, processPayment, resolveStalePending, settleAtStart, settlePending, type ClaimedPayment } from "../../lib/payments/process-payment";
import { collectAutomatic, billAndCollect } from "../../lib/payments/collect";
import { newCustomer } from "../../lib/signup/new-customer";
import { activateSignup, removeSignup, settlePendingSignups, undoSignup } from "../../lib/signup/pending-signup";

/**
 * Issue 22 §10: no payment gateway call may run inside a database transaction, and the type system
 * enforces it. Every function that can reach the gateway takes `Db` (the pool); a transaction (`Tx`)
 * is not assignable to it. `tsc --noEmit` checks this file: each `@ts-expect-error` below fails the
 * type check if passing a transaction ever compiles again. The functions are never called.
 */
function typeChecks(db: Db, tx: Tx, either: DbOrTx, claimed: ClaimedPayment) {
  const input = { custnum: 1, amountCents: 100, method: { custpaybynum: 1 }, paybatch: "k" };
  // @ts-expect-error a transaction is not the pool
  void processPayment(tx, input);
  // @ts-expect-error nor is "a pool or a transaction"
  void processPayment(either, input);
  // @ts-expect-error
  void chargeClaimed(tx, claimed);
  // @ts-expect-error
  void resolveStalePending(tx);
  // @ts-expect-error
  void settlePending(tx);
  // @ts-expect-error
  void settleAtStart(tx);
  // @ts-expect-error
  void collectAutomatic(tx, 1);
  // @ts-expect-error
  void billAndCollect(tx, 1, { asOf: new Date() });
  // @ts-expect-error
  void newCustomer(tx, {});
  // @ts-expect-error
  void activateSignup(tx, 1);
  // @ts-expect-error
  void removeSignup(tx, 1);
  // @ts-expect-error
  void undoSignup(tx, claimed as never, 1);
  // @ts-expect-error
  void settlePendingSignups(tx, { gateway: claimed as never, olderThanMs: 0 });
  // The pool itself is fine, and claiming an attempt (no gateway call) is done inside a transaction.
  void processPayment(db, input);
  void db.transaction((t) => claimPayment(t, input, { gateway: claimed as never }));
  // @ts-expect-error claimPayment is for a transaction only
  void claimPayment(db, input, { gateway: claimed as never });
}

test("every gateway-calling function takes the pool, never a transaction (tsc checks this file)", () => {
  assert.equal(typeof typeChecks, "function");
  // The type check of this file alone (and what it imports), so `npm test` proves it too.
  const root = process.cwd();
  const dir = mkdtempSync(path.join(tmpdir(), "portico-notx-"));
  try {
    const config = path.join(dir, "tsconfig.json");
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(root, "tsconfig.json"),
        compilerOptions: { incremental: false, plugins: [], typeRoots: [path.join(root, "node_modules", "@types")], paths: { "@/*": [path.join(root, "*")] } },
        include: [],
        files: [path.join(root, "tests", "payments", "no-gateway-in-transaction.test.ts")],
      }),
    );
    const r = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", config], { encoding: "utf8", timeout: 240_000 });
    assert.equal(r.status, 0, `tsc found errors:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
