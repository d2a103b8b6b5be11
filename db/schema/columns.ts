import { customType, timestamp, char } from "drizzle-orm/pg-core";
import { formatCents, parseDbMoney } from "../../lib/money/cents";

/** numeric(10,2) in the database, integer cents in TypeScript. */
export const cents = customType<{ data: number; driverData: string }>({
  dataType() {
    return "numeric(10,2)";
  },
  toDriver(value: number): string {
    return formatCents(value);
  },
  fromDriver(value: string | number): number {
    return parseDbMoney(String(value));
  },
});

/** timestamptz as a JS Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Freeside's flag columns: char(1) 'Y' or NULL. */
export const flag = (name: string) => char(name, { length: 1 });
