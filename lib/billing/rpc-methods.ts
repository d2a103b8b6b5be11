import "server-only";
import type { RpcMethod } from "@/lib/rpc/define-method";

/** Billing's self-service RPC methods (list_invoices, invoice, invoice_pdf, …). */
export const billingMethods: RpcMethod[] = [];
