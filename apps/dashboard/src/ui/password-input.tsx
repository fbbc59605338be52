import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useIntl } from 'react-intl';

/**
 * Mantine's PasswordInput marks a wrong value only with styles; this one also says it to screen
 * readers (aria-invalid), as every other field does.
 */
export function Password(props: PasswordInputProps) {
  return <PasswordInput {...props} aria-invalid={props.error ? true : undefined} />;
}

/**
 * A password being chosen (an invitation, a reset): when the server refuses it, the field says
 * the rule in the page's language.
 */
export function NewPassword({
  invalid,
  ...props
}: Omit<PasswordInputProps, 'error' | 'autoComplete' | 'required'> & { invalid: boolean }) {
  const intl = useIntl();
  return (
    <Password
      {...props}
      autoComplete="new-password"
      required
      error={invalid ? intl.formatMessage({ id: 'field.newPassword' }) : undefined}
    />
  );
}
