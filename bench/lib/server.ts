import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

// The production server under test: `next build` (once), then `scripts/server.mjs` — what
// `npm start` runs: Next.js behind Portico's node:http server with its admission control — per
// dataset, with the Node flags `npm start` gives it (the caller passes them); and its memory.
// A build and a running server share `.next` with `npm test`'s end-to-end step, so the whole
// benchmark (bench/run.ts) holds the machine-wide lock scripts/test.mjs takes
// (scripts/support/machine-lock.mjs).

function runLogged(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on("exit", (code, signal) => {
      out.end();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

export async function buildApp(env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const code = await runLogged(process.execPath, ["node_modules/next/dist/bin/next", "build"], env, logFile);
  if (code !== 0) {
    const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n") : "";
    throw new Error(`next build failed (exit ${code}); the end of ${logFile}:\n${tail}`);
  }
}

export interface RunningServer {
  pid: number;
  baseUrl: string;
  child: ChildProcess;
  /** Peak resident memory so far of the server and its child processes (VmHWM, MiB); read by stop() last. */
  peakMiB(): number;
  stop(): Promise<void>;
}

/** Every server's peak RSS, recorded as it stops (bench/run.ts judges the largest). */
export const peaks: { label: string; mib: number }[] = [];

export async function startServer(port: number, env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[] = []): Promise<RunningServer> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [...nodeArgs, "scripts/server.mjs"], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  let exited = false;
  child.on("exit", () => {
    exited = true;
    out.end();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // VmHWM only grows while a process lives; read it before the process goes, and keep the largest
  // reading (a child process that has exited takes its own with it).
  let peak = 0;
  const peakMiB = () => (peak = Math.max(peak, exited ? 0 : hwmMiB(child.pid!)));
  const stop = async () => {
    if (exited) return;
    peaks.push({ label: path.basename(logFile, ".log"), mib: peakMiB() });
    const done = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await done;
    clearTimeout(timer);
  };
  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`scripts/server.mjs exited early; see ${logFile}`);
    try {
      const r = await fetch(`${baseUrl}/api/health`);
      if (r.ok) break;
    } catch {}
    if (Date.now() - started > 120_000) {
      await stop();
      throw new Error(`the server did not become healthy within 120 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid: child.pid!, baseUrl, child, peakMiB, stop };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {}
  return out;
}

/** Resident memory of a process and its descendants, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  return treeMiB(pid, "VmRSS");
}

/** Peak resident memory (VmHWM) of a process plus each of its descendants', in MiB (Linux /proc). */
export function hwmMiB(pid: number): number {
  return treeMiB(pid, "VmHWM");
}

/** A /proc/<pid>/status field in kB, for the whole status text. */
export function statusKb(status: string, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
  return m ? Number(m[1]) : 0;
}

function treeMiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  let kb = 0;
  const seen = new Set<number>();
  const visit = (p: number) => {
    if (seen.has(p)) return;
    seen.add(p);
    try {
      kb += statusKb(readFileSync(`/proc/${p}/status`, "utf8"), field);
    } catch {}
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  return Math.round((kb / 1024) * 10) / 10;
}
