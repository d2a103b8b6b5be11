/** `npm run bench -- …` arguments. */
export interface BenchOptions {
  /** The PostgreSQL server (and database name stem) to use. */
  databaseUrl: string;
  /** Scale-seeded sizes to measure, smallest first (empty with --single). */
  sizes: number[];
  /** Measure --database-url as it is: no seeding, no scale ratio. */
  single: boolean;
  /** Seconds per measurement, per warm-up, and for the memory soak. */
  duration: number;
  warmup: number;
  soak: number;
  port: number;
  skipBuild: boolean;
  /** Distinct customers whose sessions the logged-in requests rotate over. */
  sessions: number;
  /** Only these endpoint ids (development). */
  only: string[] | null;
  /** The concurrency curve (on the largest dataset). */
  curve: boolean;
  /** Two processes behind a balancer against one: "also" after the rest (the full run), "only" (--scale-out), "no". */
  scaleOut: "also" | "only" | "no";
  outDir: string;
  /** Write a V8 CPU profile of the server per dataset (bench/tmp/prof). */
  cpuProf: boolean;
}

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portico_bench";

export const USAGE = `npm run bench -- [options]

  --database-url URL        PostgreSQL server and database-name stem (default ${DEFAULT_DATABASE_URL});
                            each size gets its own database <name>_<customers>, scale-seeded when needed
  --customers-small N       smaller dataset (default 1000)
  --customers-large N       larger dataset (default 100000)
  --single                  measure --database-url as it is (no seeding, no scale ratio)
  --duration S              seconds per measurement (default 10)
  --warmup S                seconds of warm-up per endpoint (default 3)
  --soak S                  seconds of mixed load for the memory soak (default 60)
  --port P                  port of the production server (default 3180; the scale comparison and
                            the scale-out also use P+1)
  --sessions N              customers whose sessions logged-in requests rotate over (default 200)
  --skip-build              use the existing .next build
  --only a,b                only these endpoints (ids as printed)
  --scale-out               only the scale-out measurement: two server processes on the largest
                            dataset (or --single's database) behind a Node balancer against one
  --no-curve                skip the concurrency curve (1–512 connections)
  --no-scale-out            skip the scale-out measurement
  --out DIR                 results folder (default bench/results)
  --cpu-prof                write a V8 CPU profile of the server to bench/tmp/prof/ (summarise with
                            node bench/profile-summary.mjs <file>)`;

function num(v: string | undefined, name: string, min: number, max: number): number {
  const n = Number(String(v ?? "").replace(/[_,]/g, ""));
  if (!Number.isFinite(n) || n < min || n > max || !Number.isInteger(n)) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const o: BenchOptions = {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
    sizes: [],
    single: false,
    duration: 10,
    warmup: 3,
    soak: 60,
    port: 3180,
    skipBuild: false,
    sessions: 200,
    only: null,
    curve: true,
    scaleOut: "also",
    outDir: "bench/results",
    cpuProf: false,
  };
  let small = 1000;
  let large = 100_000;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--database-url":
        o.databaseUrl = value() ?? "";
        break;
      case "--customers-small":
        small = num(value(), flag, 1, 1_000_000);
        break;
      case "--customers-large":
        large = num(value(), flag, 1, 1_000_000);
        break;
      case "--single":
        o.single = true;
        break;
      case "--duration":
        o.duration = num(value(), flag, 1, 600);
        break;
      case "--warmup":
        o.warmup = num(value(), flag, 0, 600);
        break;
      case "--soak":
        o.soak = num(value(), flag, 0, 3600);
        break;
      case "--port":
        o.port = num(value(), flag, 1024, 65535);
        break;
      case "--sessions":
        o.sessions = num(value(), flag, 1, 10_000);
        break;
      case "--skip-build":
        o.skipBuild = true;
        break;
      case "--only":
        o.only = (value() ?? "").split(",").map((s) => s.trim()).filter(Boolean);
        break;
      case "--scale-out":
        o.scaleOut = "only";
        break;
      case "--no-scale-out":
        o.scaleOut = "no";
        break;
      case "--no-curve":
        o.curve = false;
        break;
      case "--cpu-prof":
        o.cpuProf = true;
        break;
      case "--out":
        o.outDir = value() ?? o.outDir;
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${a}\n\n${USAGE}`);
    }
  }
  try {
    new URL(o.databaseUrl);
  } catch {
    throw new Error(`--database-url is not a URL\n\n${USAGE}`);
  }
  o.sizes = o.single ? [] : [...new Set([small, large])].sort((a, b) => a - b);
  // A run of one database or of some endpoints has the scale-out only when asked for.
  if ((o.single || o.only) && o.scaleOut === "also") o.scaleOut = "no";
  return o;
}

/** A run that does not measure everything (it goes to bench/tmp/results, not into history.csv). */
export function isPartial(o: BenchOptions): boolean {
  return o.single || !!o.only || o.cpuProf || !o.curve || o.scaleOut !== "also";
}

/** The database of one dataset size: <name>_<customers> on the same server. */
export function databaseForSize(baseUrl: string, customers: number): string {
  const u = new URL(baseUrl);
  const stem = u.pathname.replace(/^\//, "") || "portico_bench";
  u.pathname = `/${stem}_${customers}`;
  return u.toString();
}
