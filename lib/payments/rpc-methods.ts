import "server-only";
import { createElement } from "react";
import { renderFragment } from "@/lib/rpc/render-fragment";
import { z } from "zod";
import { ExpirationSelect } from "@/components/expiration-select";
import { defineMethod, type RpcMethod } from "@/lib/rpc/define-method";
import { flagBoolean, optionalText } from "@/lib/validation/fields";
import { deletePayby, insertPayby, listPayby, updatePayby } from "./payby";
import { deletePaybySchema, insertPaybySchema, paybyFieldsOf, processPaymentSchema, updatePaybySchema } from "./payby-schema";
import { newPaymentKey, paymentInfo } from "./payment-info";
import { processPayment } from "./process-payment";

/**
 * Payments' self-service RPC methods, Freeside's names, arguments and keys: payment_info,
 * process_payment, list_payby, insert_payby, update_payby, delete_payby, and the expselect
 * HTML fragment. Each is a thin call of the one lib/payments function.
 */
const prefixField = z
  .preprocess((v) => (v === undefined || v === null ? "" : v), z.string().regex(/^[A-Za-z0-9_]{0,20}$/, "prefix may hold only letters, digits and _"))
  .default("");

export const paymentMethods: RpcMethod[] = [
  defineMethod({
    name: "payment_info",
    auth: "customer",
    input: z.object({ payment_payby: optionalText("payment_payby", 4), omit_cust_main_county: flagBoolean() }),
    async run({ db, customer }, input) {
      const info = await paymentInfo(db, {
        custnum: customer.custnum,
        paymentPayby: input.payment_payby || undefined,
        omitCustMainCounty: input.omit_cust_main_county,
      });
      return { ...info };
    },
  }),
  defineMethod({
    name: "process_payment",
    auth: "customer",
    input: processPaymentSchema,
    async run({ db, customer, meta }, input) {
      const fields = paybyFieldsOf(input);
      const r = await processPayment(db, {
        custnum: customer.custnum,
        amountCents: input.amount,
        method: input.custpaybynum ? { custpaybynum: input.custpaybynum } : { fields },
        cvv: input.paycvv || null,
        save: input.save,
        auto: input.auto,
        // Freeside's clients send payunique (or paybatch) from payment_info; one that sends none
        // gets a key of its own for this call.
        paybatch: input.payunique || input.paybatch || newPaymentKey(),
        ip: meta.ip ?? null,
      });
      return {
        amount: r.amount,
        date: r.date,
        date_pretty: r.date_pretty,
        time_pretty: r.time_pretty,
        auth_num: r.auth_num,
        order_num: r.order_num,
        receipt_html: r.receipt_html,
        paynum: r.paynum,
      };
    },
  }),
  defineMethod({
    name: "list_payby",
    auth: "customer",
    input: z.object({}),
    async run({ db, customer }) {
      const rows = await listPayby(db, { custnum: customer.custnum });
      return {
        payby: rows.map((p) => ({
          custpaybynum: p.custpaybynum,
          weight: p.weight,
          payby: p.payby,
          paymask: p.paymask,
          paydate: p.paydate,
          payname: p.payname,
          paystate: p.paystate,
          paytype: p.paytype,
        })),
      };
    },
  }),
  defineMethod({
    name: "insert_payby",
    auth: "customer",
    input: insertPaybySchema,
    async run({ db, customer, meta }, input) {
      return insertPayby(db, { custnum: customer.custnum, input, ip: meta.ip });
    },
  }),
  defineMethod({
    name: "update_payby",
    auth: "customer",
    input: updatePaybySchema,
    async run({ db, customer, meta }, input) {
      return updatePayby(db, { custnum: customer.custnum, input, ip: meta.ip });
    },
  }),
  defineMethod({
    name: "delete_payby",
    auth: "customer",
    input: deletePaybySchema,
    async run({ db, customer, meta }, input) {
      await deletePayby(db, { custnum: customer.custnum, custpaybynum: input.custpaybynum, ip: meta.ip });
      return {};
    },
  }),
  defineMethod({
    name: "expselect",
    auth: "none",
    input: z.object({ prefix: prefixField, date: optionalText("date", 20) }),
    async run(_ctx, input) {
      const html = await renderFragment(createElement(ExpirationSelect, { prefix: input.prefix, date: input.date || null }));
      return { html, output: html };
    },
  }),
];
