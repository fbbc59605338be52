import { useState } from 'react';
import {
  Autocomplete,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api/client.ts';
import type { Member } from '../../api/types.ts';
import { useShop } from '../../layout/shop-context.ts';
import { addDays } from '../../i18n/format.ts';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { diffOf } from './audit-diff.ts';
import { startOfDay, useDateTime } from './date-time.ts';
import { canManage } from './settings-data.ts';
import { SettingsFrame } from './settings-frame.tsx';
import type { AuditEntry, AuditPage } from './types.ts';

const ACTIONS = [
  'PATCH /v1/shop',
  'POST /v1/api-keys',
  'DELETE /v1/api-keys/:keyId',
  'POST /v1/webhook-secret/rotate',
  'PUT /v1/programme/draft',
  'POST /v1/programme/draft/publish',
  'POST /v1/rewards',
  'PUT /v1/rewards/:rewardId',
  'POST /v1/customers/:customerId/adjustments',
  'POST /v1/team/invitations',
  'PATCH /v1/team/members/:userId',
];

/** Settings → Audit log (owners and admins): every write, filtered, a page at a time. */
export function AuditLogPage() {
  const intl = useIntl();
  const { membership } = useShop();
  return (
    <SettingsFrame
      title={intl.formatMessage({ id: 'settings.audit.title' })}
      intro={<FormattedMessage id="settings.audit.intro" />}
    >
      {canManage(membership.role) ? <AuditLog /> : <Forbidden />}
    </SettingsFrame>
  );
}

function AuditLog() {
  const intl = useIntl();
  const { membership, shop } = useShop();
  const timeZone = shop?.timezone ?? 'Europe/Warsaw';
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [actor, setActor] = useState<string | null>(null);
  const [action, setAction] = useState('');
  // The cursors of the pages before this one, to step back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const filters = {
    from: /^\d{4}-\d{2}-\d{2}$/.test(from) ? startOfDay(from, timeZone).toISOString() : undefined,
    to: /^\d{4}-\d{2}-\d{2}$/.test(to)
      ? startOfDay(addDays(to, 1), timeZone).toISOString()
      : undefined,
    actor: actor ?? undefined,
    action: action.trim() || undefined,
  };
  const page = useQuery({
    queryKey: ['audit-log', membership.id, filters, before],
    queryFn: () =>
      api<AuditPage>('GET', '/v1/audit-log', { query: { ...filters, before, limit: 20 } }),
    placeholderData: keepPreviousData,
  });
  const members = useQuery({
    queryKey: ['team', membership.id],
    queryFn: () => api<{ data: Member[] }>('GET', '/v1/team/members'),
  });
  const restart = () => setCursors([undefined]);
  const actors = [
    { value: 'user', label: intl.formatMessage({ id: 'settings.audit.actor.user' }) },
    { value: 'api_key', label: intl.formatMessage({ id: 'settings.audit.actor.api_key' }) },
    { value: 'staff', label: intl.formatMessage({ id: 'settings.audit.actor.staff' }) },
    { value: 'system', label: intl.formatMessage({ id: 'settings.audit.actor.system' }) },
    ...(members.data?.data ?? []).map((m) => ({ value: m.userId, label: m.name || m.email })),
  ];

  return (
    <Stack gap="md">
      <Paper
        withBorder
        p="md"
        radius="md"
        component="section"
        aria-label={intl.formatMessage({ id: 'settings.audit.filters' })}
      >
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput
            type="date"
            label={intl.formatMessage({ id: 'settings.audit.from' })}
            value={from}
            onChange={(e) => {
              setFrom(e.currentTarget.value);
              restart();
            }}
            w={170}
          />
          <TextInput
            type="date"
            label={intl.formatMessage({ id: 'settings.audit.to' })}
            value={to}
            onChange={(e) => {
              setTo(e.currentTarget.value);
              restart();
            }}
            w={170}
          />
          <Select
            label={intl.formatMessage({ id: 'settings.audit.actor' })}
            placeholder={intl.formatMessage({ id: 'settings.audit.anyone' })}
            data={actors}
            value={actor}
            onChange={(v) => {
              setActor(v);
              restart();
            }}
            clearable
            w={200}
          />
          <Autocomplete
            label={intl.formatMessage({ id: 'settings.audit.action' })}
            placeholder={intl.formatMessage({ id: 'settings.audit.anyAction' })}
            data={ACTIONS}
            value={action}
            onChange={(v) => {
              setAction(v);
              restart();
            }}
            w={{ base: '100%', sm: 300 }}
          />
        </Group>
      </Paper>
      {page.isPending ? (
        <Loading />
      ) : page.error ? (
        <Failure error={page.error} onRetry={() => void page.refetch()} />
      ) : page.data.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="settings.audit.none" />
        </Empty>
      ) : (
        <>
          <Stack gap="xs" data-testid="audit-entries">
            {page.data.data.map((entry) => (
              <Entry key={entry.id} entry={entry} />
            ))}
          </Stack>
          {(cursors.length > 1 || page.data.nextBefore) && (
            <Group justify="space-between">
              <Button
                variant="default"
                disabled={cursors.length === 1}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                <FormattedMessage id="settings.audit.newer" />
              </Button>
              <Button
                variant="default"
                disabled={!page.data.nextBefore}
                onClick={() => setCursors((c) => [...c, page.data.nextBefore ?? undefined])}
              >
                <FormattedMessage id="settings.audit.older" />
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function Entry({ entry }: { entry: AuditEntry }) {
  const dateTime = useDateTime();
  const changes = 'before' in entry || 'after' in entry ? diffOf(entry.before, entry.after) : null;
  const who = entry.actor.name ?? entry.actor.id;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="audit-entry">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Badge variant="light" color="gray">
            <FormattedMessage id={`settings.audit.actor.${entry.actor.type}`} />
          </Badge>
          {who && (
            <Text size="sm" fw={600}>
              {who}
            </Text>
          )}
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {entry.action}
          </Text>
          {entry.target.id && (
            <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {entry.target.type} {entry.target.id}
            </Text>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {dateTime(entry.at)}
        </Text>
      </Group>
      {changes && changes.length > 0 && (
        <details>
          <summary style={{ cursor: 'pointer', fontSize: 14 }}>
            <FormattedMessage id="settings.audit.changes" values={{ count: changes.length }} />
          </summary>
          <Table.ScrollContainer minWidth={360}>
            <Table fz="sm" data-testid="audit-diff">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.audit.field" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.audit.before" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="settings.audit.after" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {changes.slice(0, 50).map((c) => (
                  <Table.Tr key={c.path}>
                    <Table.Td ff="monospace">{c.path}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      {c.before === undefined ? '—' : <del>{c.before}</del>}
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      {c.after === undefined ? '—' : <ins>{c.after}</ins>}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </details>
      )}
    </Paper>
  );
}
