import { handleJsonRpc } from "@/lib/rpc/http";
import { backendEndpoint } from "@/lib/rpc/backend-registry";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  const endpoint = backendEndpoint();
  if (!endpoint) return new Response("Not found", { status: 404 });
  return handleJsonRpc(request, endpoint);
}
