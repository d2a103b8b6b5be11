import { formatMoneyPretty } from "@/lib/money/cents";

/**
 * An amount of money from integer cents ("$1,234.50", "-$3.00"). A negative balance is a
 * credit in Freeside's terms; `creditTone` colours it so (off by default).
 */
export interface MoneyProps {
  cents: number;
  moneyChar?: string;
  creditTone?: boolean;
  className?: string;
}

export function Money({ cents, moneyChar, creditTone = false, className }: MoneyProps) {
  const classes = ["money", creditTone && cents < 0 ? "money-negative" : null, className].filter(Boolean).join(" ");
  return (
    <span className={classes} data-cents={cents}>
      {formatMoneyPretty(cents, moneyChar)}
    </span>
  );
}
