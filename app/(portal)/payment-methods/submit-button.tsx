"use client";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "@/components/ui/button";

/**
 * A submit button for a plain <form action={serverAction}>: disabled with a spinner while the
 * form's request runs. Without JavaScript the form still posts (progressive enhancement).
 */
export function SubmitButton({ pendingLabel, ...rest }: Omit<ButtonProps, "type" | "pending">) {
  const { pending } = useFormStatus();
  return <Button type="submit" pending={pending} pendingLabel={pendingLabel} {...rest} />;
}
