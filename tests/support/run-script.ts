import { spawn } from "node:child_process";

/**
 * Runs a project command in its own Node process, as `npm run …` would (TypeScript through
 * scripts/support/register.mjs unless `plain`), with `env` on top of this process's environment
 * (a value of `undefined` removes that variable); resolves with its exit code and output.
 */
export function runNodeScript(
  args: string[],
  env: Record<string, string | undefined> = {},
  opts: { plain?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete childEnv[k];
      else childEnv[k] = v;
    }
    const child = spawn(process.execPath, [...(opts.plain ? [] : ["--import", "./scripts/support/register.mjs"]), ...args], {
      cwd: process.cwd(),
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
