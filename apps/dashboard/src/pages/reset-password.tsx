import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { NewPassword } from '../ui/password-input.tsx';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client.ts';
import { useLocale } from '../i18n/locale.tsx';
import { AuthFrame } from './auth-frame.tsx';
import { useProblemText } from './problem-text.tsx';

/**
 * /admin/reset-password: without a token, ask for a link by e-mail; with the e-mailed
 * `?token=…`, choose the new password.
 */
export function ResetPasswordPage() {
  const { token } = useSearch({ from: '/reset-password' });
  return (
    <AuthFrame title={<FormattedMessage id="reset.title" />}>
      {token ? <ChooseNewPassword token={token} /> : <RequestLink />}
    </AuthFrame>
  );
}

function FormProblem({ error }: { error: unknown }) {
  const problemText = useProblemText();
  if (!(error instanceof ApiError) || error.errors.length > 0) return null;
  return (
    <Alert color="red" role="alert" data-testid="form-error">
      {problemText(error)}
    </Alert>
  );
}

function RequestLink() {
  const intl = useIntl();
  const { locale } = useLocale();
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => api('POST', '/v1/password-resets', { noShop: true, body: { email, locale } }),
  });
  const error = request.error instanceof ApiError ? request.error : null;
  if (request.isSuccess) {
    return (
      <Alert color="green" role="status">
        <FormattedMessage id="reset.sent" />
      </Alert>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormProblem error={error} />
        <TextInput
          label={intl.formatMessage({ id: 'reset.email' })}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={error?.fieldError('email') ? intl.formatMessage({ id: 'field.email' }) : undefined}
        />
        <Button type="submit" loading={request.isPending}>
          <FormattedMessage id="reset.request" />
        </Button>
      </Stack>
    </form>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const intl = useIntl();
  const [password, setPassword] = useState('');
  const complete = useMutation({
    mutationFn: () =>
      api('POST', '/v1/password-resets/complete', { noShop: true, body: { token, password } }),
  });
  const error = complete.error instanceof ApiError ? complete.error : null;
  if (complete.isSuccess) {
    return (
      <Stack>
        <Alert color="green" role="status">
          <FormattedMessage id="reset.done" />
        </Alert>
        <Anchor component={Link} to="/sign-in">
          <FormattedMessage id="reset.toSignIn" />
        </Anchor>
      </Stack>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    complete.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormProblem error={error} />
        <NewPassword
          label={intl.formatMessage({ id: 'reset.newPassword' })}
          description={intl.formatMessage({ id: 'reset.newPasswordHint' })}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          invalid={Boolean(error?.fieldError('password'))}
        />
        <Button type="submit" loading={complete.isPending}>
          <FormattedMessage id="reset.submit" />
        </Button>
      </Stack>
    </form>
  );
}
