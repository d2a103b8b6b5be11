export const dynamic = "force-dynamic";

/**
 * Next.js's own ceiling for a route handler: `npm run bench` compares the RPC endpoints with it
 * (POST reads the body, as they do). Served only when PORTICO_BENCH=1; 404 otherwise.
 */
function disabled(): Response | null {
  return process.env.PORTICO_BENCH === "1" ? null : new Response("Not found", { status: 404 });
}

export function GET(): Response {
  return disabled() ?? Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}

export async function POST(request: Request): Promise<Response> {
  const off = disabled();
  if (off) return off;
  const body = await request.text();
  return Response.json({ ok: true, bytes: body.length }, { headers: { "cache-control": "no-store" } });
}
