import "server-only";
import type { RpcMethod } from "@/lib/rpc/define-method";

/** customer_info, edit_info, regionselector, location_form. */
export const customerMethods: RpcMethod[] = [];
