import { useEffect, useState, type FormEvent } from 'react';
import { Anchor, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import {
  displayName,
  useDateFormat,
  useLocalName,
  useSegments,
  useTiers,
  type CustomerPage,
} from './data.ts';
import type { CustomersSearch } from './customers-search.ts';

const PAGE = 25;

/** Customers: search (id, e-mail, name, phone), segment and tier filters, pages by keyset. */
export function CustomersPage() {
  const intl = useIntl();
  const { membership } = useShop();
  const search = useSearch({ from: '/signed-in/customers' });
  const navigate = useNavigate({ from: '/customers' });
  const [text, setText] = useState(search.q ?? '');
  // the cursors of the pages seen, to go back; reset by a new search
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const after = cursors[cursors.length - 1];
  useEffect(() => {
    setCursors([undefined]);
    setText(search.q ?? '');
  }, [search.q, search.segment, search.tier]);

  const page = useQuery({
    queryKey: ['customers', membership.id, search.q, search.segment, search.tier, after],
    queryFn: () =>
      api<CustomerPage>('GET', '/v1/customers', {
        query: { ...search, limit: PAGE, after },
      }),
    placeholderData: keepPreviousData,
  });
  const segments = useSegments();
  const tiers = useTiers();
  const localName = useLocalName();

  const setFilter = (patch: CustomersSearch) =>
    void navigate({ search: (prev: CustomersSearch) => ({ ...prev, ...patch }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ q: text.trim() || undefined });
  };

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        <FormattedMessage id="customers.title" />
      </Title>
      <form
        onSubmit={submit}
        role="search"
        aria-label={intl.formatMessage({ id: 'customers.searchLabel' })}
      >
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput
            label={intl.formatMessage({ id: 'customers.search' })}
            description={intl.formatMessage({ id: 'customers.searchHint' })}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            type="search"
            style={{ flex: '1 1 260px' }}
            maxLength={200}
          />
          <Button type="submit">
            <FormattedMessage id="customers.searchSubmit" />
          </Button>
        </Group>
      </form>
      <Group wrap="wrap" gap="sm" align="flex-end">
        <Select
          label={intl.formatMessage({ id: 'customers.segment' })}
          placeholder={intl.formatMessage({ id: 'customers.any' })}
          data={(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={search.segment ?? null}
          onChange={(v) => setFilter({ segment: v ?? undefined })}
          clearable
          disabled={!segments.data}
          w={{ base: '100%', xs: 240 }}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={intl.formatMessage({ id: 'customers.tier' })}
          placeholder={intl.formatMessage({ id: 'customers.any' })}
          data={(tiers.data?.tiers ?? []).map((t) => ({ value: t.id, label: localName(t.name) }))}
          value={search.tier ?? null}
          onChange={(v) => setFilter({ tier: v ?? undefined })}
          clearable
          disabled={!tiers.data}
          w={{ base: '100%', xs: 200 }}
        />
      </Group>
      <section aria-labelledby="customers-results" aria-busy={page.isFetching}>
        <Title order={2} size="h4" id="customers-results" mb="xs">
          <FormattedMessage id="customers.results" />
        </Title>
        {page.isPending ? (
          <Loading />
        ) : page.error ? (
          <Failure error={page.error} onRetry={() => void page.refetch()} />
        ) : page.data.data.length === 0 ? (
          <Empty>
            <FormattedMessage
              id={
                search.q || search.segment || search.tier ? 'customers.noMatch' : 'customers.none'
              }
            />
          </Empty>
        ) : (
          <>
            <CustomerTable page={page.data} />
            <Group justify="space-between" mt="sm">
              <Button
                variant="default"
                disabled={cursors.length === 1}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                <FormattedMessage id="customers.previous" />
              </Button>
              <Text size="sm" c="dimmed">
                <FormattedMessage id="customers.pageNumber" values={{ page: cursors.length }} />
              </Text>
              <Button
                variant="default"
                disabled={!page.data.nextAfter || page.isPlaceholderData}
                onClick={() => setCursors((c) => [...c, page.data.nextAfter ?? undefined])}
              >
                <FormattedMessage id="customers.next" />
              </Button>
            </Group>
          </>
        )}
      </section>
    </Stack>
  );
}

function CustomerTable({ page }: { page: CustomerPage }) {
  const { date } = useDateFormat();
  const localName = useLocalName();
  const intl = useIntl();
  return (
    <Table.ScrollContainer minWidth={340}>
      <Table striped highlightOnHover data-testid="customer-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">
              <FormattedMessage id="customers.col.customer" />
            </Table.Th>
            <Table.Th scope="col" visibleFrom="sm">
              <FormattedMessage id="customers.col.phone" />
            </Table.Th>
            <Table.Th scope="col" ta="right">
              <FormattedMessage id="customers.col.points" />
            </Table.Th>
            <Table.Th scope="col">
              <FormattedMessage id="customers.col.tier" />
            </Table.Th>
            <Table.Th scope="col" ta="right" visibleFrom="sm">
              <FormattedMessage id="customers.col.orders" />
            </Table.Th>
            <Table.Th scope="col" visibleFrom="sm">
              <FormattedMessage id="customers.col.lastOrder" />
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {page.data.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor
                  fw={600}
                  renderRoot={(props) => (
                    <Link to="/customers/$customerId" params={{ customerId: c.id }} {...props} />
                  )}
                >
                  {c.redacted ? intl.formatMessage({ id: 'customers.erased' }) : displayName(c)}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {c.email && (c.firstName || c.lastName) ? `${c.email} · ` : ''}
                  {c.id}
                </Text>
              </Table.Td>
              <Table.Td visibleFrom="sm">{c.phone ?? '—'}</Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                <FormattedMessage id="customers.points" values={{ n: c.pointsAvailable }} />
              </Table.Td>
              <Table.Td>
                {c.tier ? (
                  <Text span size="sm" fw={600} c="teal.9">
                    {localName(c.tier.name)}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td ta="right" visibleFrom="sm">
                {intl.formatNumber(c.ordersCount)}
              </Table.Td>
              <Table.Td visibleFrom="sm">{c.lastOrderAt ? date(c.lastOrderAt) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
