import { spawn, type ChildProcess } from "node:child_process";

export interface RpcChild {
  url: string;
  child: ChildProcess;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts tests/support/rpc-child.ts in its own Node process (with `nodeFlags`, e.g. a heap limit
 * like production's) against `databaseUrl`, and resolves once it listens.
 */
export async function spawnRpcChild(databaseUrl: string, opts: { nodeFlags?: string[]; env?: Record<string, string>; unsetEnv?: string[] } = {}): Promise<RpcChild> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, DATABASE_URL: databaseUrl };
  for (const name of opts.unsetEnv ?? []) delete env[name];
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), "--import", "./scripts/support/register.mjs", "tests/support/rpc-child.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  let exited = false;
  child.stderr!.on("data", (d) => (err += d));
  child.on("exit", () => (exited = true));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`rpc child did not start: ${err.slice(0, 2000)}`)), 60_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`rpc child exited (${code}) before listening: ${err.slice(0, 2000)}`));
    });
  });
  return {
    url,
    child,
    stderr: () => err,
    exited: () => exited,
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
    },
  };
}
