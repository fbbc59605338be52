import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { fieldProblem } from '../../ui/field-error.ts';
import { currencyDigits, MoneyInput } from '../../ui/money-input.tsx';
import { SUPPORT, useCan } from '../../ui/roles.ts';
import { endOfDay, lastDayOf } from '../../ui/shop-time.ts';
import { Empty, Failure, Forbidden, Loading } from '../../ui/states.tsx';
import { useProblemText } from '../problem-text.tsx';
import {
  useGiftCard,
  useGiftCardList,
  useIssueGiftCard,
  useRefundGiftCard,
  useSpendGiftCard,
  type GiftCard,
  type GiftCardMove,
} from './gift-cards-data.ts';
import { GiftCardProducts, GiftCardReportSection } from './gift-card-sales.tsx';

/** A formatter of money in any currency and of moments in the shop's zone. */
function useFormats(currency: string) {
  const { locale } = useLocale();
  const { shop } = useShop();
  const fmt = useShopFormat({ currency, timezone: shop?.timezone ?? 'Europe/Warsaw' });
  const when = new Intl.DateTimeFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: fmt.timezone,
  });
  return { ...fmt, when: (iso: string) => when.format(new Date(iso)) };
}

function ErrorLine({ error }: { error: unknown }) {
  const problemText = useProblemText();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 403) return <Forbidden />;
  if (error instanceof ApiError && error.errors.length > 0) return null;
  return (
    <Alert color="red" role="alert">
      {problemText(error)}
    </Alert>
  );
}

/** Gift cards: issue one (its code shown once), look one up, spend and refund, the list. */
export function GiftCardsPage() {
  const canWrite = useCan(SUPPORT);
  const [code, setCode] = useState<string | null>(null);
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          <FormattedMessage id="giftCards.title" />
        </Title>
        <Text size="sm" c="dimmed">
          <FormattedMessage id="giftCards.lead" />
        </Text>
      </div>
      {canWrite && <IssueForm onLookUp={setCode} />}
      <LookUp code={code} onCode={setCode} canWrite={canWrite} />
      <GiftCardReportSection />
      <GiftCardProducts canWrite={canWrite} />
      <CardList />
    </Stack>
  );
}

function IssueForm({ onLookUp }: { onLookUp: (code: string) => void }) {
  const intl = useIntl();
  const { shop } = useShop();
  const shopCurrency = shop?.currency ?? 'PLN';
  const issue = useIssueGiftCard();
  const [amount, setAmount] = useState<number | undefined>();
  const [currency, setCurrency] = useState(shopCurrency);
  const [until, setUntil] = useState('');
  const [customerId, setCustomerId] = useState('');
  const fmt = useFormats(issue.data?.currency ?? currency);
  const error = issue.error;
  const bad = (path: string, id: string) =>
    fieldProblem(error, path) ? intl.formatMessage({ id }) : undefined;
  const currencies = [...new Set([shopCurrency, 'PLN', 'EUR', 'USD', 'GBP', 'CZK'])];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    issue.mutate({
      amount,
      currency,
      ...(until && { expiresAt: endOfDay(until, fmt.timezone) }),
      ...(customerId.trim() && { customerId: customerId.trim() }),
    });
  };
  const issued = issue.data;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="issue-title">
      <Title order={2} size="h4" id="issue-title" mb="sm">
        <FormattedMessage id="giftCards.issue" />
      </Title>
      <form onSubmit={submit} noValidate data-testid="issue-form">
        <Stack gap="sm">
          <ErrorLine error={error} />
          {issued?.code && (
            <Alert color="green" role="status">
              <Stack gap="xs">
                <Text fw={700} size="sm">
                  <FormattedMessage
                    id="giftCards.issued"
                    values={{ amount: fmt.money(issued.initialAmount.amount) }}
                  />
                </Text>
                <Group gap="xs" wrap="wrap">
                  <Code fz="lg" data-testid="issued-code" style={{ overflowWrap: 'anywhere' }}>
                    {issued.code}
                  </Code>
                  <CopyButton value={issued.code}>
                    {({ copied, copy }) => (
                      <Button size="xs" variant={copied ? 'filled' : 'default'} onClick={copy}>
                        <FormattedMessage id={copied ? 'giftCards.copied' : 'giftCards.copy'} />
                      </Button>
                    )}
                  </CopyButton>
                  <Button size="xs" variant="default" onClick={() => onLookUp(issued.code!)}>
                    <FormattedMessage id="giftCards.open" />
                  </Button>
                </Group>
                <Text size="sm">
                  <FormattedMessage id="giftCards.onlyOnce" />
                </Text>
              </Stack>
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <MoneyInput
              label={intl.formatMessage({ id: 'giftCards.f.amount' })}
              required
              currency={currency}
              value={amount}
              onChange={setAmount}
              error={bad('amount', 'giftCards.e.amount')}
            />
            <Select
              label={intl.formatMessage({ id: 'giftCards.f.currency' })}
              data={currencies}
              value={currency}
              onChange={(v) => v && setCurrency(v)}
              allowDeselect={false}
              error={bad('currency', 'giftCards.e.currency')}
            />
            <TextInput
              type="date"
              label={intl.formatMessage({ id: 'giftCards.f.until' })}
              description={intl.formatMessage({ id: 'giftCards.f.optional' })}
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
              error={bad('expiresAt', 'giftCards.e.date')}
            />
            <TextInput
              label={intl.formatMessage({ id: 'giftCards.f.customer' })}
              description={intl.formatMessage({ id: 'giftCards.f.optional' })}
              value={customerId}
              onChange={(e) => setCustomerId(e.currentTarget.value)}
              error={bad('customerId', 'giftCards.e.customer')}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={issue.isPending}>
              <FormattedMessage id="giftCards.issueSubmit" />
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function LookUp({
  code,
  onCode,
  canWrite,
}: {
  code: string | null;
  onCode: (code: string | null) => void;
  canWrite: boolean;
}) {
  const intl = useIntl();
  const [typed, setTyped] = useState('');
  const { card, moves } = useGiftCard(code);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCode(typed.trim() || null);
  };
  const notFound = card.error instanceof ApiError && card.error.status === 404;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="lookup-title">
      <Title order={2} size="h4" id="lookup-title" mb="sm">
        <FormattedMessage id="giftCards.lookUp" />
      </Title>
      <form onSubmit={submit} noValidate data-testid="lookup-form">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={intl.formatMessage({ id: 'giftCards.f.code' })}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
            miw={240}
            style={{ flexGrow: 1 }}
            error={notFound ? intl.formatMessage({ id: 'giftCards.notFound' }) : undefined}
          />
          <Button type="submit" loading={card.isFetching}>
            <FormattedMessage id="giftCards.lookUpSubmit" />
          </Button>
        </Group>
      </form>
      {code && card.isPending && card.isFetching && <Loading />}
      {card.error && !notFound && (
        <Failure error={card.error} onRetry={() => void card.refetch()} />
      )}
      {card.data && code && (
        <CardDetail card={card.data} code={code} moves={moves} canWrite={canWrite} />
      )}
    </Paper>
  );
}

function CardDetail({
  card,
  code,
  moves,
  canWrite,
}: {
  card: GiftCard;
  code: string;
  moves: ReturnType<typeof useGiftCard>['moves'];
  canWrite: boolean;
}) {
  const intl = useIntl();
  const fmt = useFormats(card.currency);
  const [refunding, setRefunding] = useState<GiftCardMove | null>(null);
  const refunded = new Map<string, number>();
  for (const m of moves.data ?? []) {
    if (m.refundOf) refunded.set(m.refundOf, (refunded.get(m.refundOf) ?? 0) + m.amount.amount);
  }
  return (
    <Stack gap="md" mt="md" data-testid="gift-card">
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Fact label="giftCards.balance" testId="card-balance">
          <Text fw={700} size="xl">
            {fmt.money(card.balance.amount)}
          </Text>
        </Fact>
        <Fact label="giftCards.initial">{fmt.money(card.initialAmount.amount)}</Fact>
        <Fact label="giftCards.status">
          <StatusBadge status={card.status} />
        </Fact>
        <Fact label="giftCards.expires">
          {card.expiresAt
            ? fmt.day(lastDayOf(card.expiresAt, fmt.timezone))
            : intl.formatMessage({ id: 'giftCards.never' })}
        </Fact>
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        <FormattedMessage
          id="giftCards.cardLine"
          values={{ masked: card.maskedCode, customer: card.customerId ?? '—' }}
        />
      </Text>
      {canWrite && card.status === 'active' && <SpendForm card={card} code={code} />}
      <section aria-labelledby="history-title">
        <Title order={3} size="h5" id="history-title" mb="xs">
          <FormattedMessage id="giftCards.history" />
        </Title>
        {moves.isPending ? (
          <Loading />
        ) : moves.error ? (
          <Failure error={moves.error} onRetry={() => void moves.refetch()} />
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped data-testid="card-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="giftCards.col.when" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="giftCards.col.what" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="giftCards.col.amount" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="giftCards.col.after" />
                  </Table.Th>
                  {canWrite && (
                    <Table.Th scope="col">
                      <FormattedMessage id="giftCards.col.actions" />
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {moves.data.map((m) => {
                  const left = -m.amount.amount - (refunded.get(m.id) ?? 0);
                  return (
                    <Table.Tr key={m.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.when(m.createdAt)}</Table.Td>
                      <Table.Td>
                        <FormattedMessage id={`giftCards.type.${m.type}`} />
                        {m.orderId && (
                          <Text size="xs" c="dimmed">
                            <FormattedMessage id="giftCards.order" values={{ order: m.orderId }} />
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {m.amount.amount > 0 ? '+' : ''}
                        {fmt.money(m.amount.amount)}
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {fmt.money(m.balanceAfter.amount)}
                      </Table.Td>
                      {canWrite && (
                        <Table.Td>
                          {m.type === 'spent' && left > 0 && (
                            <Button size="xs" variant="default" onClick={() => setRefunding(m)}>
                              <FormattedMessage id="giftCards.refund" />
                            </Button>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      <Modal
        lockScroll={false}
        closeButtonProps={{ 'aria-label': intl.formatMessage({ id: 'giftCards.close' }) }}
        opened={refunding !== null}
        onClose={() => setRefunding(null)}
        title={intl.formatMessage({ id: 'giftCards.refundTitle' })}
      >
        {refunding && (
          <RefundForm
            code={code}
            card={card}
            spend={refunding}
            left={-refunding.amount.amount - (refunded.get(refunding.id) ?? 0)}
            onDone={() => setRefunding(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}

function Fact({
  label,
  children,
  testId,
}: {
  label: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">
        <FormattedMessage id={label} />
      </Text>
      <div>{children}</div>
    </div>
  );
}

function StatusBadge({ status }: { status: GiftCard['status'] }) {
  const color = status === 'active' ? 'teal.9' : 'gray.8';
  return (
    <Badge tt="none" color={color} variant="default">
      <FormattedMessage id={`giftCards.status.${status}`} />
    </Badge>
  );
}

function SpendForm({ card, code }: { card: GiftCard; code: string }) {
  const intl = useIntl();
  const fmt = useFormats(card.currency);
  const spend = useSpendGiftCard(code);
  const [amount, setAmount] = useState<number | undefined>();
  const [orderId, setOrderId] = useState('');
  const bad = (path: string, id: string) =>
    fieldProblem(spend.error, path) ? intl.formatMessage({ id }) : undefined;
  const tooMuch = spend.error instanceof ApiError && spend.error.status === 422;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    spend.mutate(
      { amount, currency: card.currency, ...(orderId.trim() && { orderId: orderId.trim() }) },
      { onSuccess: () => setAmount(undefined) },
    );
  };
  return (
    <form onSubmit={submit} noValidate data-testid="spend-form">
      <Stack gap="xs">
        {tooMuch ? (
          <Alert color="red" role="alert">
            <FormattedMessage
              id="giftCards.tooMuch"
              values={{ balance: fmt.money(card.balance.amount) }}
            />
          </Alert>
        ) : (
          <ErrorLine error={spend.error} />
        )}
        {spend.isSuccess && (
          <Alert color="green" role="status">
            <FormattedMessage
              id="giftCards.spent"
              values={{ balance: fmt.money(spend.data.balanceAfter) }}
            />
          </Alert>
        )}
        <Group align="flex-start" wrap="wrap">
          <MoneyInput
            label={intl.formatMessage({ id: 'giftCards.f.spendAmount' })}
            required
            currency={card.currency}
            value={amount}
            onChange={setAmount}
            error={bad('amount', 'giftCards.e.amount')}
            miw={180}
          />
          <TextInput
            label={intl.formatMessage({ id: 'giftCards.f.orderId' })}
            description={intl.formatMessage({ id: 'giftCards.f.optional' })}
            value={orderId}
            onChange={(e) => setOrderId(e.currentTarget.value)}
            error={bad('orderId', 'giftCards.e.order')}
            miw={180}
          />
        </Group>
        <Group>
          <Button type="submit" loading={spend.isPending}>
            <FormattedMessage id="giftCards.spend" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RefundForm({
  code,
  card,
  spend,
  left,
  onDone,
}: {
  code: string;
  card: GiftCard;
  spend: GiftCardMove;
  left: number;
  onDone: () => void;
}) {
  const intl = useIntl();
  const fmt = useFormats(card.currency);
  const refund = useRefundGiftCard(code);
  const [amount, setAmount] = useState<number | undefined>(left);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    refund.mutate(
      { spendId: spend.id, ...(amount !== undefined && { amount }) },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorLine error={refund.error} />
        <Text size="sm">
          <FormattedMessage id="giftCards.refundLead" values={{ amount: fmt.money(left) }} />
        </Text>
        <MoneyInput
          label={intl.formatMessage({ id: 'giftCards.f.refundAmount' })}
          currency={card.currency}
          value={amount}
          onChange={setAmount}
          error={
            fieldProblem(refund.error, 'amount')
              ? intl.formatMessage({ id: 'giftCards.e.amount' })
              : undefined
          }
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            <FormattedMessage id="giftCards.cancel" />
          </Button>
          <Button type="submit" loading={refund.isPending}>
            <FormattedMessage id="giftCards.refundSubmit" />
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CardList() {
  const list = useGiftCardList();
  const { shop } = useShop();
  const fmt = useFormats(shop?.currency ?? 'PLN');
  const { locale } = useLocale();
  const cards = list.data?.pages.flatMap((p) => p.data) ?? [];
  // A card may be in another currency than the shop's.
  const money = (m: { amount: number; currency: string }) =>
    new Intl.NumberFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
      style: 'currency',
      currency: m.currency,
    }).format(m.amount / 10 ** currencyDigits(m.currency));
  return (
    <section aria-labelledby="list-title">
      <Title order={2} size="h4" id="list-title" mb="xs">
        <FormattedMessage id="giftCards.list" />
      </Title>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <Failure error={list.error} onRetry={() => void list.refetch()} />
      ) : cards.length === 0 ? (
        <Empty>
          <FormattedMessage id="giftCards.empty" />
        </Empty>
      ) : (
        <Stack gap="xs">
          <Table.ScrollContainer minWidth={560}>
            <Table striped data-testid="card-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="giftCards.col.card" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="giftCards.col.issued" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="giftCards.initial" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="giftCards.balance" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="giftCards.status" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {cards.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Code style={{ whiteSpace: 'nowrap' }}>{c.maskedCode}</Code>
                      {c.customerId && (
                        <Text size="xs" c="dimmed">
                          {c.customerId}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {c.createdAt ? fmt.when(c.createdAt) : '—'}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {money(c.initialAmount)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {money(c.balance)}
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={c.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.hasNextPage && (
            <Group>
              <Button
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                <FormattedMessage id="giftCards.more" />
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </section>
  );
}
