"use client";

import { Button } from "@/components/ui/button";

/** Opens the browser's print dialog (the print stylesheet leaves only the invoice). */
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <Button variant="secondary" onClick={() => window.print()}>
      {label}
    </Button>
  );
}
