// One `next build` + server run at a time on this machine: `npm test`'s end-to-end step and
// `npm run bench` share `.next` and the ports. The lock is a directory in the temp folder holding
// the owner's pid; a dead owner's lock is taken over, and Ctrl-C / SIGTERM release it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const LOCK = path.join(os.tmpdir(), "portico-e2e.lock");

/**
 * Runs `fn` holding the machine-wide lock, waiting for another holder first.
 * @template T
 * @param {() => Promise<T>} fn
 * @param {(line: string) => void} log
 * @returns {Promise<T>}
 */
export async function withMachineLock(fn, log) {
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(LOCK);
      writeFileSync(path.join(LOCK, "pid"), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(path.join(LOCK, "pid"), "utf8"));
      } catch {}
      let alive = false;
      try {
        if (owner) process.kill(owner, 0);
        alive = owner > 0;
      } catch {}
      if (!alive && waited > 2) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log(`waiting for another build/e2e run (pid ${owner || "?"}) to finish…`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const release = () => rmSync(LOCK, { recursive: true, force: true });
  const onSignal = () => {
    release();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await fn();
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    release();
  }
}
