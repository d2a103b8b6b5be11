import type { Metadata } from "next";
import { connection } from "next/server";
import { notFound } from "next/navigation";

export const metadata: Metadata = { title: "Benchmark baseline" };

/**
 * Next.js's own ceiling for a dynamic page on this machine: rendered per request through the
 * root layout, no database, no session. `npm run bench` measures every page against it. Served
 * only when the server runs with PORTICO_BENCH=1 (the benchmark sets it); 404 otherwise.
 */
export default async function TrivialBenchPage() {
  await connection();
  if (process.env.PORTICO_BENCH !== "1") notFound();
  return (
    <main id="main" className="container page-main">
      <h1>Trivial page</h1>
      <p>Rendered at {new Date().toISOString()}.</p>
    </main>
  );
}
