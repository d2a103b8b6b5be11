import "server-only";
import { z } from "zod";
import { billAndCollect } from "@/lib/payments/collect";
import { defineMethod, type RpcMethod } from "@/lib/rpc/define-method";
import { apiCustomerInfo, apiLocationInfo, newCustomer, updateCustomer } from "./api-customers";
import { custnumSchema, insertCreditSchema, insertPaymentSchema, insertRefundSchema } from "./backend-schema";
import { insertCredit, insertPayment, insertRefund } from "./insert-money";

/**
 * The back-office API (FS::API): insert_payment, insert_credit, insert_refund, new_customer,
 * update_customer, customer_info, location_info, bill_now. Every method is auth "backend": the
 * dispatcher checks the shared secret (constant time) before the arguments are even parsed.
 */
export const backendMethods: RpcMethod[] = [
  defineMethod({
    name: "insert_payment",
    auth: "backend",
    input: insertPaymentSchema,
    async run({ db }, input) {
      return insertPayment(db, input);
    },
  }),
  defineMethod({
    name: "insert_credit",
    auth: "backend",
    input: insertCreditSchema,
    async run({ db }, input) {
      return insertCredit(db, input);
    },
  }),
  defineMethod({
    name: "insert_refund",
    auth: "backend",
    input: insertRefundSchema,
    async run({ db }, input) {
      return insertRefund(db, input);
    },
  }),
  defineMethod({
    name: "new_customer",
    auth: "backend",
    input: z.object({}).passthrough(),
    async run({ db }, input) {
      return newCustomer(db, input);
    },
  }),
  defineMethod({
    name: "update_customer",
    auth: "backend",
    input: z.object({}).passthrough(),
    async run({ db }, input) {
      return updateCustomer(db, input);
    },
  }),
  defineMethod({
    name: "customer_info",
    auth: "backend",
    input: custnumSchema,
    async run({ db }, input) {
      return apiCustomerInfo(db, input.custnum);
    },
  }),
  defineMethod({
    name: "location_info",
    auth: "backend",
    input: custnumSchema,
    async run({ db }, input) {
      return apiLocationInfo(db, input.custnum);
    },
  }),
  defineMethod({
    name: "bill_now",
    auth: "backend",
    input: custnumSchema,
    async run({ db }, input) {
      // Freeside's bill_now is cust_main->bill_and_collect: everything due as of this moment is
      // billed, then the customer's first automatic method (CARD/CHEK) is charged through the
      // payment path, keyed by the invoice (`bill-<invnum>`), so running it again makes no second
      // invoice and no second charge. Returns only `error`, as Freeside does: a decline is not an
      // API error there either (it is recorded as a declined attempt and the invoice stays open).
      await billAndCollect(db, input.custnum, { asOf: new Date() });
      return {};
    },
  }),
];
