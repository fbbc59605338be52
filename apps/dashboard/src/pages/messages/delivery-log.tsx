import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { useDateTime } from '../settings/date-time.ts';
import { MessagesFrame } from './messages-frame.tsx';
import { templateName } from './template-name.ts';
import {
  CHANNELS,
  loadMessages,
  PURPOSES,
  STATUSES,
  type LogFilter,
  type Message,
} from './messages-data.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// Dark shades, outlined: the words stay readable (WCAG AA) on every status.
const STATUS_COLOUR: Record<string, string> = {
  delivered: 'teal.9',
  sent: 'teal.9',
  queued: 'gray.7',
  claimed: 'gray.7',
  sending: 'gray.7',
  bounced: 'red.9',
  failed: 'red.9',
  suppressed: '#a63a0c',
  uncertain: '#a63a0c',
};

/** Messages → the delivery log: every message, filtered by channel, status, purpose, customer and days. */
export function DeliveryLogPage() {
  const intl = useIntl();
  return (
    <MessagesFrame
      title={intl.formatMessage({ id: 'messages.log.title' })}
      intro={<FormattedMessage id="messages.log.intro" />}
    >
      <DeliveryLog />
    </MessagesFrame>
  );
}

function DeliveryLog() {
  const intl = useIntl();
  const { membership } = useShop();
  const dateTime = useDateTime();
  const [channel, setChannel] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [purpose, setPurpose] = useState<string | null>(null);
  const [customer, setCustomer] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [customerId] = useDebouncedValue(customer.trim(), 300);
  const filter: LogFilter = {
    ...(channel ? { channel } : {}),
    ...(status ? { status } : {}),
    ...(purpose ? { purpose } : {}),
    ...(customerId ? { customerId } : {}),
    ...(DAY.test(from) ? { from } : {}),
    // The form's "to" day is included; the API's is exclusive.
    ...(DAY.test(to) ? { to: nextDay(to) } : {}),
  };
  const log = useInfiniteQuery({
    queryKey: ['messages-log', membership.id, filter],
    queryFn: ({ pageParam }) => loadMessages(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const options = (values: readonly string[], prefix: string) =>
    values.map((v) => ({ value: v, label: intl.formatMessage({ id: `${prefix}.${v}` }) }));
  const messages = log.data?.pages.flatMap((p) => p.messages) ?? [];

  return (
    <>
      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          <Select
            label={intl.formatMessage({ id: 'messages.filter.channel' })}
            placeholder={intl.formatMessage({ id: 'messages.filter.any' })}
            data={options([...CHANNELS, 'webhook'], 'messages.channel')}
            value={channel}
            onChange={setChannel}
            clearable
          />
          <Select
            label={intl.formatMessage({ id: 'messages.filter.status' })}
            placeholder={intl.formatMessage({ id: 'messages.filter.any' })}
            data={options(STATUSES, 'messages.status')}
            value={status}
            onChange={setStatus}
            clearable
          />
          <Select
            label={intl.formatMessage({ id: 'messages.filter.purpose' })}
            placeholder={intl.formatMessage({ id: 'messages.filter.any' })}
            data={options(PURPOSES, 'messages.purpose')}
            value={purpose}
            onChange={setPurpose}
            clearable
          />
          <TextInput
            label={intl.formatMessage({ id: 'messages.filter.customer' })}
            description={intl.formatMessage({ id: 'messages.filter.customerHint' })}
            value={customer}
            onChange={(e) => setCustomer(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={intl.formatMessage({ id: 'messages.filter.from' })}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={intl.formatMessage({ id: 'messages.filter.to' })}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
        </SimpleGrid>
      </Paper>
      {log.isPending ? (
        <Loading />
      ) : log.error ? (
        <Failure error={log.error} onRetry={() => void log.refetch()} />
      ) : messages.length === 0 ? (
        <Empty>
          <FormattedMessage id="messages.log.empty" />
        </Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped data-testid="delivery-log">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    <FormattedMessage id="messages.col.when" />
                  </Table.Th>
                  <Table.Th>
                    <FormattedMessage id="messages.col.customer" />
                  </Table.Th>
                  <Table.Th>
                    <FormattedMessage id="messages.col.message" />
                  </Table.Th>
                  <Table.Th>
                    <FormattedMessage id="messages.col.status" />
                  </Table.Th>
                  <Table.Th>
                    <FormattedMessage id="messages.col.engagement" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {messages.map((m) => (
                  <LogRow key={m.id} message={m} dateTime={dateTime} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {log.hasNextPage && (
            <Group justify="center">
              <Button
                variant="light"
                loading={log.isFetchingNextPage}
                onClick={() => void log.fetchNextPage()}
              >
                <FormattedMessage id="messages.more" />
              </Button>
            </Group>
          )}
        </>
      )}
    </>
  );
}

function LogRow({ message: m, dateTime }: { message: Message; dateTime: (iso: string) => string }) {
  const intl = useIntl();
  const engagement = [
    m.openedAt && intl.formatMessage({ id: 'messages.opened' }),
    m.clickedAt && intl.formatMessage({ id: 'messages.clicked' }),
    m.convertedAt && intl.formatMessage({ id: 'messages.converted' }),
  ].filter(Boolean);
  return (
    <Table.Tr data-testid={`message-${m.id}`}>
      <Table.Td>{dateTime(m.createdAt)}</Table.Td>
      <Table.Td>
        {m.customerId ? (
          <Anchor
            renderRoot={(props) => (
              <Link to="/customers/$customerId" params={{ customerId: m.customerId! }} {...props} />
            )}
          >
            {m.customerId}
          </Anchor>
        ) : (
          '—'
        )}
        {m.to && (
          <Text size="xs" c="dimmed">
            {m.to}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <FormattedMessage id={`messages.channel.${m.channel}`} /> ·{' '}
          <FormattedMessage id={`messages.purpose.${m.purpose}`} /> ·{' '}
          {templateName(intl, m.template)}
        </Text>
        {m.subject && (
          <Text size="xs" c="dimmed">
            {m.subject}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOUR[m.status] ?? 'gray.7'} variant="outline" tt="none">
          <FormattedMessage id={`messages.status.${m.status}`} />
        </Badge>
        {m.statusReason && (
          <Text size="xs" c="dimmed" data-reason={m.statusReason}>
            {reasonText(intl, m.statusReason)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{engagement.length ? engagement.join(', ') : '—'}</Table.Td>
    </Table.Tr>
  );
}

/** Why a message was held back, in words; a reason without words of its own as the API says it. */
function reasonText(intl: ReturnType<typeof useIntl>, reason: string): string {
  const id = `messages.reason.${reason}`;
  return intl.messages[id] ? intl.formatMessage({ id }) : reason;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
