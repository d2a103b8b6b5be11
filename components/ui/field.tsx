import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

/**
 * A labelled form control with an optional hint and error message. The control's id is derived
 * from its name (`billing.zip` → `billing-zip`), the hint and the error get `<id>-hint` /
 * `<id>-error` and are linked with aria-describedby; an error sets aria-invalid.
 * Pure (no hooks): works in Server Components and with react-hook-form's `register()` (which
 * passes name, onChange, onBlur and ref straight through to the control).
 */
export function fieldIds(name: string, id?: string): { id: string; hintId: string; errorId: string } {
  const base = id ?? (name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "field");
  return { id: base, hintId: `${base}-hint`, errorId: `${base}-error` };
}

/** The accessibility attributes a control inside a Field needs. */
export interface FieldControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

export interface FieldProps {
  name: string;
  /** Defaults to an id derived from `name`. */
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  /** The error message (a string or the first of several). */
  error?: string | string[] | null;
  /** Shows a required marker; the control itself should carry `required`. */
  required?: boolean;
  /** Shows "(optional)" after the label. */
  optional?: boolean;
  className?: string;
  /** Renders the control; spread the given props onto it. */
  children: (control: FieldControlProps) => ReactNode;
}

function firstError(error: FieldProps["error"]): string | undefined {
  if (!error) return undefined;
  return Array.isArray(error) ? error[0] : error;
}

export function Field({ name, id, label, hint, error, required, optional, className, children }: FieldProps) {
  const ids = fieldIds(name, id);
  const message = firstError(error);
  const describedBy = [hint ? ids.hintId : null, message ? ids.errorId : null].filter(Boolean).join(" ");
  return (
    <div className={["field", className].filter(Boolean).join(" ")} data-field={name}>
      <label className="field-label" htmlFor={ids.id}>
        {label}
        {required ? (
          <span className="field-required" aria-hidden="true">
            {" "}*
          </span>
        ) : null}
        {optional ? <span className="field-optional"> (optional)</span> : null}
      </label>
      {children({ id: ids.id, "aria-invalid": message ? true : undefined, "aria-describedby": describedBy || undefined })}
      {hint ? (
        <p className="field-hint" id={ids.hintId}>
          {hint}
        </p>
      ) : null}
      {/* Always present, so a message appearing in it is announced (aria-live). */}
      <div className="field-error-region" aria-live="polite" aria-atomic="true">
        {message ? (
          <p className="field-error" id={ids.errorId}>
            {message}
          </p>
        ) : null}
      </div>
    </div>
  );
}

interface CommonFieldProps {
  name: string;
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | string[] | null;
  optional?: boolean;
  fieldClassName?: string;
}

export type InputFieldProps = CommonFieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id"> & { ref?: Ref<HTMLInputElement> };

/** `<Input name="email" label="Email" type="email" error={errors.email?.message} {...register("email")} />` */
export function Input({ name, id, label, hint, error, optional, fieldClassName, required, ref, type = "text", ...rest }: InputFieldProps) {
  return (
    <Field name={name} id={id} label={label} hint={hint} error={error} required={required} optional={optional} className={fieldClassName}>
      {(control) => <input ref={ref} name={name} type={type} required={required} {...control} {...rest} />}
    </Field>
  );
}

export type SelectFieldProps = CommonFieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id"> & { ref?: Ref<HTMLSelectElement> };

/** A labelled `<select>`; pass the `<option>`s as children. */
export function Select({ name, id, label, hint, error, optional, fieldClassName, required, ref, children, ...rest }: SelectFieldProps) {
  return (
    <Field name={name} id={id} label={label} hint={hint} error={error} required={required} optional={optional} className={fieldClassName}>
      {(control) => (
        <select ref={ref} name={name} required={required} {...control} {...rest}>
          {children}
        </select>
      )}
    </Field>
  );
}

export type TextareaFieldProps = CommonFieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id"> & { ref?: Ref<HTMLTextAreaElement> };

export function Textarea({ name, id, label, hint, error, optional, fieldClassName, required, ref, ...rest }: TextareaFieldProps) {
  return (
    <Field name={name} id={id} label={label} hint={hint} error={error} required={required} optional={optional} className={fieldClassName}>
      {(control) => <textarea ref={ref} name={name} required={required} {...control} {...rest} />}
    </Field>
  );
}
