import { Select } from "@/components/ui/field";
import { PAYTYPES } from "@/lib/payments/bank";

/** A bank's state as offered in the "Bank state" select (lib/payments/bank.ts bankStateChoices). */
export interface StateChoice {
  code: string;
  name: string;
}

type BankChoiceField = "paytype" | "paystate";

/**
 * The optional "Account type" and "Bank state" selects of every bank-account form (/pay,
 * /payment-methods add and edit), wired to the caller's react-hook-form.
 */
export function BankTypeAndState({
  states,
  register,
  err,
}: {
  states: StateChoice[];
  register: (n: BankChoiceField) => { name: string };
  err: (n: BankChoiceField) => string | undefined;
}) {
  return (
    <div className="form-grid">
      <Select label="Account type" optional error={err("paytype")} {...register("paytype")}>
        <option value="">Choose…</option>
        {PAYTYPES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </Select>
      <Select label="Bank state" optional error={err("paystate")} {...register("paystate")}>
        <option value="">Choose…</option>
        {states.map((s) => (
          <option key={s.code} value={s.code}>
            {s.name}
          </option>
        ))}
      </Select>
    </div>
  );
}
