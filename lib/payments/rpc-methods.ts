import "server-only";
import type { RpcMethod } from "@/lib/rpc/define-method";

/** Payments' self-service RPC methods (list_payby, insert_payby, payment_info, process_payment, …). */
export const paymentMethods: RpcMethod[] = [];
