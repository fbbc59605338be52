import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { CopyField } from '../../ui/copy-field.tsx';
import { Forbidden } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { useDateTime } from './date-time.ts';
import { canManage } from './settings-data.ts';
import { SettingsFrame } from './settings-frame.tsx';
import type { RotatedSecret } from './types.ts';

/** POST /v1/webhook-secret/rotate: a new secret (Lojal's, or the platform's own key). */
export function useRotateSecret() {
  return useMutation({
    mutationFn: (secret?: string) =>
      api<RotatedSecret>('POST', '/v1/webhook-secret/rotate', {
        body: secret ? { secret } : {},
      }),
  });
}

/** The secret just made, shown this once, with when the previous one stops verifying. */
export function NewSecret({ rotated }: { rotated: RotatedSecret }) {
  const intl = useIntl();
  const dateTime = useDateTime();
  return (
    <Alert color="green" role="status" data-testid="new-secret">
      <Stack gap="xs">
        <Text fw={600}>
          <FormattedMessage id="settings.secret.shownOnce" />
        </Text>
        <CopyField
          value={rotated.webhookSecret}
          label={intl.formatMessage({ id: 'settings.secret.theSecret' })}
          testId="new-secret-value"
        />
        <Text size="sm">
          <FormattedMessage
            id="settings.secret.previousUntil"
            values={{ at: dateTime(rotated.previousSecretsValidUntil) }}
          />
        </Text>
      </Stack>
    </Alert>
  );
}

/** Settings → Webhook secret (owners and admins): rotate; the new secret is shown once. */
export function WebhookSecretPage() {
  const intl = useIntl();
  const { membership } = useShop();
  return (
    <SettingsFrame
      title={intl.formatMessage({ id: 'settings.secret.title' })}
      intro={<FormattedMessage id="settings.secret.intro" />}
    >
      {canManage(membership.role) ? <Rotate /> : <Forbidden />}
    </SettingsFrame>
  );
}

function Rotate() {
  const intl = useIntl();
  const problemText = useProblemText();
  const rotate = useRotateSecret();
  const [own, setOwn] = useState('');
  const [confirming, setConfirming] = useState(false);
  const error = rotate.error instanceof ApiError ? rotate.error : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setConfirming(true);
  };
  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={640}>
          {error && error.errors.length === 0 && (
            <Alert color="red" role="alert">
              {error.status === 403 ? <FormattedMessage id="app.forbidden" /> : problemText(error)}
            </Alert>
          )}
          <TextInput
            label={intl.formatMessage({ id: 'settings.secret.own' })}
            description={intl.formatMessage({ id: 'settings.secret.ownHint' })}
            value={own}
            onChange={(e) => setOwn(e.currentTarget.value)}
            error={
              error?.fieldError('secret') && intl.formatMessage({ id: 'settings.secret.ownError' })
            }
            autoComplete="off"
            spellCheck={false}
          />
          <Group>
            <Button type="submit" loading={rotate.isPending}>
              <FormattedMessage id="settings.secret.rotate" />
            </Button>
          </Group>
          {rotate.data && <NewSecret rotated={rotate.data} />}
        </Stack>
      </form>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={intl.formatMessage({ id: 'settings.secret.confirmTitle' })}
        // No scroll lock: its <style> element would carry no CSP nonce (react-remove-scroll).
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'settings.cancel' }) }}
      >
        <Stack gap="md">
          <Text size="sm">
            <FormattedMessage id="settings.secret.confirmText" />
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              <FormattedMessage id="settings.cancel" />
            </Button>
            <Button
              onClick={() => {
                setConfirming(false);
                rotate.mutate(own.trim() || undefined, { onSuccess: () => setOwn('') });
              }}
            >
              <FormattedMessage id="settings.secret.confirmRotate" />
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
