import { handleXmlRpc } from "@/lib/rpc/http";
import { selfserviceEndpoint } from "@/lib/rpc/selfservice-registry";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleXmlRpc(request, selfserviceEndpoint);
}
