import "server-only";
import { authMethods } from "@/lib/auth/rpc-methods";
import { customerMethods } from "@/lib/customers/rpc-methods";
import { billingMethods } from "@/lib/billing/rpc-methods";
import { paymentMethods } from "@/lib/payments/rpc-methods";
import { signupMethods } from "@/lib/signup/rpc-methods";
import { buildRegistry } from "./define-method";
import type { EndpointOptions } from "./http";

/** Every self-service method, by its Freeside name. One area, one list. */
export const selfserviceRegistry = buildRegistry(authMethods, customerMethods, billingMethods, paymentMethods, signupMethods);

export const selfserviceEndpoint: EndpointOptions = {
  registry: selfserviceRegistry,
  prefixes: ["FS.ClientAPI_XMLRPC.", "FS.SelfService.XMLRPC.", "FS.ClientAPI."],
};
