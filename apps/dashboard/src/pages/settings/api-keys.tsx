import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { CopyField } from '../../ui/copy-field.tsx';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { canManage } from './settings-data.ts';
import { SettingsFrame } from './settings-frame.tsx';
import type { ApiKey, NewApiKey } from './types.ts';
import { useDateTime } from './date-time.ts';

/** Settings → API keys (owners and admins): list, create (shown once), revoke. */
export function ApiKeysPage() {
  const intl = useIntl();
  const { membership } = useShop();
  return (
    <SettingsFrame
      title={intl.formatMessage({ id: 'settings.keys.title' })}
      intro={<FormattedMessage id="settings.keys.intro" />}
    >
      {canManage(membership.role) ? <ApiKeys /> : <Forbidden />}
    </SettingsFrame>
  );
}

function ApiKeys() {
  const intl = useIntl();
  const { membership } = useShop();
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const dateTime = useDateTime();
  const keys = useQuery({
    queryKey: ['api-keys', membership.id],
    queryFn: () => api<{ data: ApiKey[] }>('GET', '/v1/api-keys'),
  });
  const [label, setLabel] = useState('');
  const create = useMutation({
    mutationFn: (l: string) =>
      api<NewApiKey>('POST', '/v1/api-keys', { body: l.trim() ? { label: l.trim() } : {} }),
    onSuccess: () => {
      setLabel('');
      return queryClient.invalidateQueries({ queryKey: ['api-keys', membership.id] });
    },
  });
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api('DELETE', `/v1/api-keys/${encodeURIComponent(key.id)}`),
    onSuccess: () => {
      setRevoking(null);
      return queryClient.invalidateQueries({ queryKey: ['api-keys', membership.id] });
    },
  });
  const createError = create.error instanceof ApiError ? create.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    revoke.reset();
    create.mutate(label);
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-key-title">
        <Title order={2} size="h4" id="new-key-title" mb="sm">
          <FormattedMessage id="settings.keys.create" />
        </Title>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {createError && (
              <Alert color="red" role="alert">
                {createError.status === 403 ? (
                  <FormattedMessage id="app.forbidden" />
                ) : (
                  problemText(createError)
                )}
              </Alert>
            )}
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={intl.formatMessage({ id: 'settings.keys.label' })}
                description={intl.formatMessage({ id: 'settings.keys.labelHint' })}
                value={label}
                onChange={(e) => setLabel(e.currentTarget.value)}
                error={createError?.fieldError('label')}
                maxLength={100}
                miw={240}
              />
              <Button type="submit" loading={create.isPending}>
                <FormattedMessage id="settings.keys.createSubmit" />
              </Button>
            </Group>
          </Stack>
        </form>
        {create.data && (
          <Alert color="green" mt="md" role="status" data-testid="new-key">
            <Stack gap="xs">
              <Text fw={600}>
                <FormattedMessage id="settings.keys.shownOnce" />
              </Text>
              <CopyField
                value={create.data.apiKey}
                label={intl.formatMessage({ id: 'settings.keys.theKey' })}
                testId="new-key-value"
              />
            </Stack>
          </Alert>
        )}
      </Paper>

      <section aria-labelledby="keys-title">
        <Title order={2} size="h4" id="keys-title" mb="xs">
          <FormattedMessage id="settings.keys.list" />
        </Title>
        {revoke.error && (
          <Alert color="red" role="alert" mb="sm">
            {problemText(revoke.error)}
          </Alert>
        )}
        {keys.isPending ? (
          <Loading />
        ) : keys.error ? (
          <Failure error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.data.data.length === 0 ? (
          <Empty>
            <FormattedMessage id="settings.keys.none" />
          </Empty>
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.keys.label" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.keys.hint" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.keys.created" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.keys.status" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.keys.actions" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.data.data.map((k) => (
                  <Table.Tr key={k.id} data-testid={`key-${k.id}`}>
                    <Table.Td>{k.label ?? '—'}</Table.Td>
                    <Table.Td>
                      <code>{k.hint}</code>
                    </Table.Td>
                    <Table.Td>{dateTime(k.createdAt)}</Table.Td>
                    <Table.Td>
                      {k.revokedAt ? (
                        <Badge color="gray" variant="light">
                          <FormattedMessage
                            id="settings.keys.revokedAt"
                            values={{ at: dateTime(k.revokedAt) }}
                          />
                        </Badge>
                      ) : (
                        <Badge color="teal.9" variant="outline">
                          <FormattedMessage id="settings.keys.active" />
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!k.revokedAt && (
                        <Button
                          size="xs"
                          variant="outline"
                          color="red.9"
                          onClick={() => {
                            revoke.reset();
                            setRevoking(k);
                          }}
                          aria-label={intl.formatMessage(
                            { id: 'settings.keys.revokeOne' },
                            { key: k.label ?? k.hint },
                          )}
                        >
                          <FormattedMessage id="settings.keys.revoke" />
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>

      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={intl.formatMessage({ id: 'settings.keys.confirmTitle' })}
        // No scroll lock: its <style> element would carry no CSP nonce (react-remove-scroll).
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'settings.cancel' }) }}
      >
        <Stack gap="md">
          <Text size="sm">
            <FormattedMessage
              id="settings.keys.confirmText"
              values={{ key: revoking ? (revoking.label ?? revoking.hint) : '' }}
            />
          </Text>
          {revoke.error && (
            <Alert color="red" role="alert">
              {problemText(revoke.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              <FormattedMessage id="settings.cancel" />
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking)}
            >
              <FormattedMessage id="settings.keys.confirmRevoke" />
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
