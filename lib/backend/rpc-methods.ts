import "server-only";
import type { RpcMethod } from "@/lib/rpc/define-method";

/** The back-office API (FS::API): insert_payment, insert_credit, insert_refund, new_customer, … */
export const backendMethods: RpcMethod[] = [];
