import "server-only";
import type { RpcMethod } from "@/lib/rpc/define-method";

/** Signup's RPC methods (signup_info, new_customer, new_customer_minimal, check_username, popselector). */
export const signupMethods: RpcMethod[] = [];
