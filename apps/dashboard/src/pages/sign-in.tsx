import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Password } from '../ui/password-input.tsx';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { AuthFrame } from './auth-frame.tsx';
import { useProblemText } from './problem-text.tsx';

export function SignInPage() {
  const intl = useIntl();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [askOtp, setAskOtp] = useState(false);
  const otpRef = useRef<HTMLInputElement>(null);

  const signIn = useMutation({
    mutationFn: () =>
      api<Me>('POST', '/v1/session', {
        noShop: true,
        body: { email, password, ...(askOtp && otp ? { otp } : {}) },
      }),
    onSuccess: async (me) => {
      queryClient.setQueryData(['me'], me);
      await navigate({ to: '/' });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code.startsWith('otp-')) setAskOtp(true);
    },
  });
  useEffect(() => {
    if (askOtp) otpRef.current?.focus();
  }, [askOtp]);

  const error = signIn.error instanceof ApiError ? signIn.error : null;
  const code = error?.code;
  const wrongLogin = error?.status === 401 && !code?.startsWith('otp-');
  const fieldError = (path: string) => error?.fieldError(path);
  const formError =
    error && !wrongLogin && !code?.startsWith('otp-') && error.errors.length === 0
      ? problemText(error)
      : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };

  return (
    <AuthFrame title={<FormattedMessage id="signIn.title" />}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {formError && (
            <Alert color="red" role="alert" data-testid="form-error">
              {formError}
            </Alert>
          )}
          <TextInput
            label={intl.formatMessage({ id: 'signIn.email' })}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={
              fieldError('email')
                ? intl.formatMessage({ id: 'field.email' })
                : wrongLogin || undefined
            }
          />
          <Password
            label={intl.formatMessage({ id: 'signIn.password' })}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={
              fieldError('password')
                ? intl.formatMessage({ id: 'field.password' })
                : wrongLogin
                  ? intl.formatMessage({ id: 'signIn.wrong' })
                  : undefined
            }
          />
          {askOtp && (
            <TextInput
              ref={otpRef}
              label={intl.formatMessage({ id: 'signIn.otp' })}
              description={intl.formatMessage({ id: 'signIn.otpHint' })}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={otp}
              onChange={(e) => setOtp(e.currentTarget.value)}
              error={
                code === 'otp-invalid'
                  ? intl.formatMessage({ id: 'signIn.otpInvalid' })
                  : code === 'otp-required' && otp === ''
                    ? intl.formatMessage({ id: 'signIn.otpRequired' })
                    : fieldError('otp')
              }
            />
          )}
          <Button type="submit" loading={signIn.isPending}>
            <FormattedMessage id="signIn.submit" />
          </Button>
          <Anchor component={Link} to="/reset-password" size="sm">
            <FormattedMessage id="signIn.forgot" />
          </Anchor>
        </Stack>
      </form>
    </AuthFrame>
  );
}
