import { useState, type FormEvent } from 'react';
import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { NewPassword } from '../ui/password-input.tsx';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { AuthFrame } from './auth-frame.tsx';
import { useProblemText } from './problem-text.tsx';

/** /admin/invitation?token=… — the link of an invitation e-mail: accept it and sign in. */
export function InvitationPage() {
  const intl = useIntl();
  const { token } = useSearch({ from: '/invitation' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () =>
      api<Me>('POST', '/v1/invitations/accept', {
        noShop: true,
        body: { token, password, ...(name.trim() ? { name: name.trim() } : {}) },
      }),
    onSuccess: async (me) => {
      queryClient.setQueryData(['me'], me);
      await navigate({ to: '/' });
    },
  });
  const error = accept.error instanceof ApiError ? accept.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };

  return (
    <AuthFrame title={<FormattedMessage id="invitation.title" />}>
      {!token ? (
        <Alert color="red" role="alert">
          <FormattedMessage id="invitation.noToken" />
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {error && error.errors.length === 0 && (
              <Alert color="red" role="alert" data-testid="form-error">
                {error.status === 410
                  ? intl.formatMessage({ id: 'invitation.invalid' })
                  : problemText(error)}
              </Alert>
            )}
            <TextInput
              label={intl.formatMessage({ id: 'invitation.name' })}
              description={intl.formatMessage({ id: 'invitation.nameHint' })}
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={error?.fieldError('name')}
            />
            <NewPassword
              label={intl.formatMessage({ id: 'invitation.password' })}
              description={intl.formatMessage({ id: 'invitation.passwordHint' })}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              invalid={Boolean(error?.fieldError('password'))}
            />
            <Button type="submit" loading={accept.isPending}>
              <FormattedMessage id="invitation.submit" />
            </Button>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}
