import { redirect } from "next/navigation";
import { getCustomerSession } from "@/lib/auth/current-session";

/** `/`: the account when signed in, else the login page. */
export default async function Home(): Promise<never> {
  redirect((await getCustomerSession()) ? "/account" : "/login");
}
