import { PasswordInput, type PasswordInputProps } from '@mantine/core';

/**
 * Mantine's PasswordInput marks a wrong value only with styles; this one also says it to screen
 * readers (aria-invalid), as every other field does.
 */
export function Password(props: PasswordInputProps) {
  return <PasswordInput {...props} aria-invalid={props.error ? true : undefined} />;
}
