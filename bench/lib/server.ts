import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

// The production server under test: `next build` (once), `next start` per dataset, its memory.
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
  stop(): Promise<void>;
}

export async function startServer(port: number, env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[] = []): Promise<RunningServer> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [...nodeArgs, "node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
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
  const stop = async () => {
    if (exited) return;
    const done = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await done;
    clearTimeout(timer);
  };
  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`next start exited early; see ${logFile}`);
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
  return { pid: child.pid!, baseUrl, child, stop };
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
  let kb = 0;
  const seen = new Set<number>();
  const visit = (p: number) => {
    if (seen.has(p)) return;
    seen.add(p);
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {}
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  return Math.round((kb / 1024) * 10) / 10;
}
