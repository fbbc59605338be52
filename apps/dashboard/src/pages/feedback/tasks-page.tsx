import { useState } from 'react';
import { Alert, Anchor, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api/client.ts';
import type { Member } from '../../api/types.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useShop } from '../../layout/shop-context.ts';
import { dayOf } from '../../ui/shop-time.ts';
import { SUPPORT, useCan } from '../../ui/roles.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import { FeedbackHeader } from './feedback-nav.tsx';
import {
  assignTask,
  loadTasks,
  resolveTask,
  type Task,
  type TaskFilters,
} from './feedback-data.ts';

const originOf = (source: string) =>
  source === 'staff' ? 'staff' : (source.split(':')[0] ?? 'staff');

/** The tasks inbox: detractor follow-ups, flows' tasks and the team's own; assign and resolve. */
export function TasksPage() {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const queryClient = useQueryClient();
  const problemText = useProblemText();
  const { membership, shop } = useShop();
  const format = useShopFormat(shop);
  const canWork = useCan(SUPPORT);
  const [filters, setFilters] = useState<TaskFilters>({
    status: 'open',
    origin: 'all',
    assignedTo: 'any',
  });
  const [notice, setNotice] = useState<string | null>(null);
  const team = useQuery({
    queryKey: ['team', membership.id],
    queryFn: () => api<{ data: Member[] }>('GET', '/v1/team/members'),
  });
  const tasks = useQuery({
    queryKey: ['tasks', membership.id, filters],
    queryFn: () => loadTasks(filters),
    placeholderData: keepPreviousData,
  });
  const done = async (message: string) => {
    setNotice(message);
    await queryClient.invalidateQueries({ queryKey: ['tasks', membership.id] });
  };
  const assign = useMutation({
    mutationFn: (v: { id: string; userId: string | null }) => assignTask(v.id, v.userId),
    onSuccess: () => done(t('feedback.tasks.assigned')),
  });
  const resolve = useMutation({
    mutationFn: (id: string) => resolveTask(id),
    onSuccess: () => done(t('feedback.tasks.resolved')),
  });
  const members = team.data?.data ?? [];
  const nameOf = (userId: string | null) =>
    userId === null
      ? t('feedback.tasks.assignee.none')
      : (members.find((m) => m.userId === userId)?.name ?? userId);
  const failure = assign.error ?? resolve.error;

  return (
    <Stack>
      <FeedbackHeader />
      <Group wrap="wrap" align="flex-end">
        <Select
          label={t('feedback.tasks.status')}
          data={(['open', 'done', 'all'] as const).map((s) => ({
            value: s,
            label: t(`feedback.tasks.status.${s}`),
          }))}
          value={filters.status}
          onChange={(v) => v && setFilters({ ...filters, status: v as TaskFilters['status'] })}
          allowDeselect={false}
          w={{ base: '100%', xs: 170 }}
        />
        <Select
          label={t('feedback.tasks.origin')}
          data={(['all', 'survey', 'flow', 'staff'] as const).map((s) => ({
            value: s,
            label: t(`feedback.tasks.origin.${s}`),
          }))}
          value={filters.origin}
          onChange={(v) => v && setFilters({ ...filters, origin: v as TaskFilters['origin'] })}
          allowDeselect={false}
          w={{ base: '100%', xs: 220 }}
        />
        <Select
          label={t('feedback.tasks.assignee')}
          data={[
            { value: 'any', label: t('feedback.tasks.assignee.any') },
            { value: 'none', label: t('feedback.tasks.assignee.none') },
            ...members.map((m) => ({ value: m.userId, label: m.name })),
          ]}
          value={filters.assignedTo}
          onChange={(v) => v && setFilters({ ...filters, assignedTo: v })}
          allowDeselect={false}
          w={{ base: '100%', xs: 220 }}
        />
      </Group>
      {notice && (
        <Alert color="teal" role="status" data-testid="task-notice">
          {notice}
        </Alert>
      )}
      {failure && (
        <Alert color="red" role="alert">
          {problemText(failure)}
        </Alert>
      )}
      {tasks.isPending ? (
        <Loading />
      ) : tasks.error ? (
        <Failure error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.data.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="feedback.tasks.none" />
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={360}>
          <Table striped data-testid="tasks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <FormattedMessage id="feedback.tasks.col.task" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="feedback.tasks.col.customer" />
                </Table.Th>
                <Table.Th visibleFrom="sm">
                  <FormattedMessage id="feedback.tasks.col.due" />
                </Table.Th>
                <Table.Th>
                  <FormattedMessage id="feedback.tasks.col.assignee" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tasks.data.data.map((task: Task) => (
                <Table.Tr key={task.id} data-testid={`task-${task.id}`}>
                  <Table.Td>
                    <Text size="sm">{task.title}</Text>
                    <Group gap={4} mt={2}>
                      <Text size="xs" fw={600} c="dimmed">
                        {t(`feedback.tasks.origin.${originOf(task.source)}`)}
                      </Text>
                      {task.status !== 'open' && (
                        <Text size="xs" c="dimmed">
                          {task.status === 'cancelled'
                            ? t('feedback.tasks.cancelled')
                            : intl.formatMessage(
                                { id: 'feedback.tasks.closedAt' },
                                { date: format.day(dayOf(task.closedAt!, format.timezone)) },
                              )}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      size="sm"
                      renderRoot={(props) => (
                        <Link
                          to="/customers/$customerId"
                          params={{ customerId: task.customerId }}
                          {...props}
                        />
                      )}
                    >
                      {task.customer.name ?? task.customer.email ?? task.customerId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td visibleFrom="sm" style={{ whiteSpace: 'nowrap' }}>
                    {task.dueAt ? format.day(dayOf(task.dueAt, format.timezone)) : '—'}
                  </Table.Td>
                  <Table.Td>
                    {canWork && task.status === 'open' ? (
                      <Group gap="xs" wrap="wrap">
                        <Select
                          aria-label={intl.formatMessage(
                            { id: 'feedback.tasks.assignFor' },
                            { title: task.title },
                          )}
                          data={[
                            { value: 'none', label: t('feedback.tasks.assignee.none') },
                            ...members.map((m) => ({ value: m.userId, label: m.name })),
                          ]}
                          value={task.assignedTo ?? 'none'}
                          onChange={(v) =>
                            v && assign.mutate({ id: task.id, userId: v === 'none' ? null : v })
                          }
                          allowDeselect={false}
                          size="xs"
                          w={170}
                        />
                        <Button
                          size="xs"
                          onClick={() => resolve.mutate(task.id)}
                          loading={resolve.isPending && resolve.variables === task.id}
                          aria-label={`${t('feedback.tasks.resolve')}: ${task.title}`}
                        >
                          <FormattedMessage id="feedback.tasks.resolve" />
                        </Button>
                      </Group>
                    ) : (
                      <Text size="sm">{nameOf(task.assignedTo)}</Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
