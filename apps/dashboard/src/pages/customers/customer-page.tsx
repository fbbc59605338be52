import type { ReactNode } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError } from '../../api/client.ts';
import { useShop } from '../../layout/shop-context.ts';
import { useShopFormat } from '../../i18n/format.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import {
  AdjustPointsForm,
  EraseForm,
  NoteForm,
  ResolveTaskButton,
  TaskForm,
  TierOverrideForm,
} from './actions.tsx';
import { CustomerPrintables } from '../printables/printables-page.tsx';
import {
  displayName,
  useCustomer360,
  useDateFormat,
  useLocalName,
  usePermissions,
  type Customer360,
  type LedgerEntry,
} from './data.ts';

/** The customer 360: profile, points and their causes, tier, orders, and every other part. */
export function CustomerPage() {
  const { customerId } = useParams({ from: '/signed-in/customers/$customerId' });
  const view = useCustomer360(customerId);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers" size="sm">
        <FormattedMessage id="customers.back" />
      </Anchor>
      {view.isPending ? (
        <Loading />
      ) : view.error ? (
        view.error instanceof ApiError && view.error.status === 404 ? (
          <>
            <Title order={1} size="h2">
              {customerId}
            </Title>
            <Empty>
              <FormattedMessage id="customers.notFound" />
            </Empty>
          </>
        ) : (
          <Failure error={view.error} onRetry={() => void view.refetch()} />
        )
      ) : (
        <CustomerView view={view.data} />
      )}
    </Stack>
  );
}

function Section({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder radius="md" component="section" aria-labelledby={id} data-testid={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function None() {
  return (
    <Text c="dimmed" size="sm">
      <FormattedMessage id="customers.empty" />
    </Text>
  );
}

function CustomerView({ view }: { view: Customer360 }) {
  const intl = useIntl();
  const { shop } = useShop();
  const can = usePermissions();
  const format = useShopFormat(shop);
  const { date, dateTime } = useDateFormat();
  const localName = useLocalName();
  const c = view.customer;
  const tier = c.tier;
  const metricValue = (value: number) =>
    tier?.metric === 'spend' ? format.money(value) : intl.formatNumber(value);

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          {c.redacted ? intl.formatMessage({ id: 'customers.erased' }) : displayName(c)}
        </Title>
        <Group gap="xs" mt={4} wrap="wrap">
          <Text size="sm" c="dimmed">
            <FormattedMessage id="customers.idLabel" values={{ id: c.id }} />
          </Text>
          {c.redacted && (
            <Badge variant="outline" color="dark">
              {intl.formatMessage({ id: 'customers.erased' })}
            </Badge>
          )}
          {c.tags.map((tag) => (
            <Badge key={tag} variant="outline">
              {tag}
            </Badge>
          ))}
        </Group>
      </div>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder radius="md" data-testid="profile">
          <Text fw={600} mb={4}>
            <FormattedMessage id="customers.profile" />
          </Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {c.email ?? '—'}
          </Text>
          <Text size="sm">{c.phone ?? '—'}</Text>
          {c.birthday && (
            <Text size="sm">
              <FormattedMessage id="customers.birthday" values={{ day: format.day(c.birthday) }} />
            </Text>
          )}
          <Text size="sm" c="dimmed">
            <FormattedMessage id="customers.since" values={{ date: date(c.createdAt) }} />
          </Text>
          {c.referralCode && (
            <Text size="sm" c="dimmed">
              <FormattedMessage id="customers.referralCode" values={{ code: c.referralCode }} />
            </Text>
          )}
        </Card>
        <Card withBorder radius="md" data-testid="points">
          <Text fw={600} mb={4}>
            <FormattedMessage id="customers.pointsTitle" />
          </Text>
          <Text size="xl" fw={700} data-testid="points-available">
            <FormattedMessage id="customers.points" values={{ n: c.points.available }} />
          </Text>
          <Text size="sm">
            <FormattedMessage id="customers.pending" values={{ n: c.points.pending }} />
          </Text>
          <Text size="sm" c="dimmed">
            <FormattedMessage id="customers.lifetime" values={{ n: c.points.lifetimeEarned }} />
          </Text>
          {c.points.expiringSoon.map((e) => (
            <Text size="sm" c="orange.9" key={e.expiresAt}>
              <FormattedMessage
                id="customers.expiring"
                values={{ n: e.points, date: date(e.expiresAt) }}
              />
            </Text>
          ))}
        </Card>
        <Card withBorder radius="md" data-testid="tier">
          <Text fw={600} mb={4}>
            <FormattedMessage id="customers.tierTitle" />
          </Text>
          {!tier ? (
            <Text size="sm" c="dimmed">
              <FormattedMessage id="customers.noProgramme" />
            </Text>
          ) : (
            <>
              <Group gap="xs">
                <Text size="lg" fw={700}>
                  {tier.current
                    ? localName(tier.current.name)
                    : intl.formatMessage({ id: 'customers.noTier' })}
                </Text>
                {tier.current?.manual && (
                  <Badge variant="outline">
                    <FormattedMessage id="customers.manualTier" />
                  </Badge>
                )}
              </Group>
              {tier.next ? (
                <>
                  <Progress
                    value={tier.next.progress * 100}
                    mt="xs"
                    aria-label={intl.formatMessage(
                      { id: 'customers.progressLabel' },
                      { tier: localName(tier.next.name) },
                    )}
                  />
                  <Text size="sm" mt={4}>
                    <FormattedMessage
                      id="customers.toNext"
                      values={{
                        needed: metricValue(tier.next.needed),
                        tier: localName(tier.next.name),
                      }}
                    />
                  </Text>
                </>
              ) : (
                <Text size="sm">
                  <FormattedMessage id="customers.topTier" />
                </Text>
              )}
              <Text size="sm" c="dimmed">
                <FormattedMessage
                  id={`customers.metric.${tier.metric}`}
                  values={{ value: metricValue(tier.value) }}
                />
              </Text>
            </>
          )}
          <Text size="sm" mt="xs">
            <FormattedMessage
              id="customers.ordersSummary"
              values={{ n: c.orders.count, total: format.money(c.orders.totalSpent.amount) }}
            />
          </Text>
        </Card>
      </SimpleGrid>

      {!c.redacted && (can.serve || can.erase) && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {can.serve && <AdjustPointsForm customerId={c.id} />}
          {can.serve && <TierOverrideForm customerId={c.id} tier={tier} />}
        </SimpleGrid>
      )}
      {!c.redacted && can.print && <CustomerPrintables customerId={c.id} />}

      <Section id="ledger-title" title={<FormattedMessage id="customers.ledger" />}>
        {view.ledger.length === 0 ? (
          <None />
        ) : (
          <Table.ScrollContainer minWidth={340}>
            <Table striped data-testid="ledger">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" visibleFrom="sm">
                    <FormattedMessage id="customers.col.when" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="customers.col.points" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="customers.col.cause" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right" visibleFrom="sm">
                    <FormattedMessage id="customers.col.balance" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.ledger.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td fz="sm" visibleFrom="sm">
                      {dateTime(e.createdAt)}
                    </Table.Td>
                    <Table.Td
                      ta="right"
                      c={e.points < 0 ? 'red.9' : undefined}
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      <FormattedMessage
                        id="customers.signedPoints"
                        values={{ n: e.points, sign: e.points > 0 ? '+' : '' }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed" hiddenFrom="sm">
                        {dateTime(e.createdAt)}
                      </Text>
                      <Cause entry={e} />
                      {e.expiresAt && e.points > 0 && (
                        <Text size="xs" c="dimmed">
                          <FormattedMessage
                            id="customers.expires"
                            values={{ date: date(e.expiresAt) }}
                          />
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" visibleFrom="sm">
                      {intl.formatNumber(e.balanceAfter)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section id="notes-title" title={<FormattedMessage id="customers.notes" />}>
          <Stack gap="sm">
            {view.notes.length === 0 ? (
              <None />
            ) : (
              <List spacing="xs" listStyleType="none" data-testid="notes">
                {view.notes.map((n) => (
                  <List.Item key={n.id}>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {n.body}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {dateTime(n.createdAt)}
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
            {can.serve && !c.redacted && <NoteForm customerId={c.id} />}
          </Stack>
        </Section>
        <Section id="tasks-title" title={<FormattedMessage id="customers.tasks" />}>
          <Stack gap="sm">
            {view.tasks.length === 0 ? (
              <None />
            ) : (
              <List spacing="xs" listStyleType="none" data-testid="tasks">
                {view.tasks.map((task) => (
                  <List.Item key={task.id}>
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <div>
                        <Text size="sm" td={task.status === 'open' ? undefined : 'line-through'}>
                          {task.title}
                        </Text>
                        <Text size="xs" c="dimmed">
                          <FormattedMessage id={`customers.taskStatus.${task.status}`} />
                          {task.dueAt && (
                            <>
                              {' · '}
                              <FormattedMessage
                                id="customers.due"
                                values={{ date: dateTime(task.dueAt) }}
                              />
                            </>
                          )}
                        </Text>
                      </div>
                      {can.serve && task.status === 'open' && (
                        <ResolveTaskButton customerId={c.id} taskId={task.id} title={task.title} />
                      )}
                    </Group>
                  </List.Item>
                ))}
              </List>
            )}
            {can.serve && !c.redacted && <TaskForm customerId={c.id} />}
          </Stack>
        </Section>
      </SimpleGrid>

      <Section id="orders-title" title={<FormattedMessage id="customers.orders" />}>
        {view.orders.length === 0 ? (
          <None />
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <FormattedMessage id="customers.col.order" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="customers.col.when" />
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    <FormattedMessage id="customers.col.total" />
                  </Table.Th>
                  <Table.Th scope="col">
                    <FormattedMessage id="customers.col.status" />
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.orders.map((o) => (
                  <Table.Tr key={o.id}>
                    <Table.Td>{o.id}</Table.Td>
                    <Table.Td>{dateTime(o.placedAt)}</Table.Td>
                    <Table.Td ta="right">
                      {format.money(o.total.amount)}
                      {o.refunded.amount > 0 && (
                        <Text size="xs" c="dimmed">
                          <FormattedMessage
                            id="customers.refunded"
                            values={{ amount: format.money(o.refunded.amount) }}
                          />
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <FormattedMessage
                        id={`customers.orderStatus.${o.status}`}
                        defaultMessage={o.status}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section id="coupons-title" title={<FormattedMessage id="customers.coupons" />}>
          {view.coupons.length === 0 ? (
            <None />
          ) : (
            <List spacing="xs" listStyleType="none">
              {view.coupons.map((cp) => (
                <List.Item key={cp.code}>
                  <Text size="sm" ff="monospace">
                    {cp.code}
                  </Text>
                  <Text size="xs" c="dimmed">
                    <FormattedMessage
                      id="customers.couponUse"
                      values={{ used: cp.used, limit: cp.usageLimit ?? '∞' }}
                    />
                    {cp.expiresAt && (
                      <>
                        {' · '}
                        <FormattedMessage
                          id="customers.expires"
                          values={{ date: date(cp.expiresAt) }}
                        />
                      </>
                    )}
                  </Text>
                </List.Item>
              ))}
            </List>
          )}
        </Section>
        <Section id="stamps-title" title={<FormattedMessage id="customers.stampCards" />}>
          {view.stampCards.length === 0 ? (
            <None />
          ) : (
            <List spacing="xs" listStyleType="none">
              {view.stampCards.map((card, i) => (
                <List.Item key={String(card.id ?? i)}>
                  <Text size="sm">{stampCardText(card, intl)}</Text>
                </List.Item>
              ))}
            </List>
          )}
        </Section>
        <Section id="referrals-title" title={<FormattedMessage id="customers.referrals" />}>
          {view.referrals.made.length === 0 ? (
            <None />
          ) : (
            <List spacing="xs" listStyleType="none">
              {view.referrals.made.map((r, i) => (
                <List.Item key={String(r.id ?? i)}>
                  <Text size="sm">
                    {String(r.friendCustomerId ?? r.friendId ?? '—')} ·{' '}
                    <FormattedMessage
                      id={`customers.referralStatus.${String(r.status)}`}
                      defaultMessage={String(r.status)}
                    />
                  </Text>
                </List.Item>
              ))}
            </List>
          )}
        </Section>
        <Section id="messages-title" title={<FormattedMessage id="customers.messages" />}>
          {view.messages.length === 0 ? (
            <None />
          ) : (
            <List spacing="xs" listStyleType="none">
              {view.messages.map((m, i) => (
                <List.Item key={String(m.id ?? i)}>
                  <Text size="sm">
                    {String(m.channel ?? '')} · {String(m.subject ?? m.template ?? m.flowId ?? '')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {String(m.status ?? '')}
                    {typeof m.createdAt === 'string' && ` · ${dateTime(m.createdAt)}`}
                  </Text>
                </List.Item>
              ))}
            </List>
          )}
        </Section>
        <Section id="surveys-title" title={<FormattedMessage id="customers.surveys" />}>
          {view.surveys.length === 0 ? (
            <None />
          ) : (
            <List spacing="xs" listStyleType="none">
              {view.surveys.map((s, i) => (
                <List.Item key={String(s.id ?? i)}>
                  <Text size="sm">
                    {String(s.kind ?? s.type ?? '')}{' '}
                    {s.score !== undefined && s.score !== null ? `· ${String(s.score)}` : ''}
                  </Text>
                  {typeof s.comment === 'string' && (
                    <Text size="xs" c="dimmed">
                      {s.comment}
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
          )}
        </Section>
      </SimpleGrid>

      <Section id="consents-title" title={<FormattedMessage id="customers.consents" />}>
        <Table.ScrollContainer minWidth={340}>
          <Table data-testid="consents">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <FormattedMessage id="customers.col.channel" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="customers.col.purpose" />
                </Table.Th>
                <Table.Th scope="col">
                  <FormattedMessage id="customers.col.consent" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.consent.byPurpose.map((p) => (
                <Table.Tr key={`${p.channel}-${p.purpose}`}>
                  <Table.Td>
                    <FormattedMessage
                      id={`customers.channel.${p.channel}`}
                      defaultMessage={p.channel}
                    />
                  </Table.Td>
                  <Table.Td>
                    <FormattedMessage
                      id={`customers.purpose.${p.purpose}`}
                      defaultMessage={p.purpose}
                    />
                  </Table.Td>
                  <Table.Td>
                    <FormattedMessage id={p.granted ? 'customers.granted' : 'customers.refused'} />
                    {p.source === 'default' && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        (<FormattedMessage id="customers.byDefault" />)
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {view.consent.history.length > 0 && (
          <>
            <Title order={3} size="h5" mt="md" mb="xs">
              <FormattedMessage id="customers.consentProof" />
            </Title>
            <List spacing="xs" listStyleType="none">
              {view.consent.history.map((h) => (
                <List.Item key={h.id}>
                  <Text size="sm">
                    {dateTime(h.occurredAt)} ·{' '}
                    <FormattedMessage
                      id={`customers.channel.${h.channel}`}
                      defaultMessage={h.channel}
                    />{' '}
                    <FormattedMessage
                      id={`customers.purpose.${h.purpose}`}
                      defaultMessage={h.purpose}
                    />
                    {': '}
                    <FormattedMessage id={h.granted ? 'customers.granted' : 'customers.refused'} />
                  </Text>
                  {h.textShown && (
                    <Text size="xs" c="dimmed">
                      <FormattedMessage id="customers.textShown" values={{ text: h.textShown }} />
                    </Text>
                  )}
                  {(h.clientAddress || h.userAgent) && (
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {[h.clientAddress, h.userAgent].filter(Boolean).join(' · ')}
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Section>

      {can.erase && !c.redacted && <EraseForm customerId={c.id} />}
      {!can.serve && (
        <Text size="sm" c="dimmed" data-testid="read-only">
          <FormattedMessage id="customers.readOnly" />
        </Text>
      )}
      <Group>
        <Button component={Link} to="/customers" variant="subtle">
          <FormattedMessage id="customers.back" />
        </Button>
      </Group>
    </Stack>
  );
}

function stampCardText(card: Record<string, unknown>, intl: ReturnType<typeof useIntl>): string {
  const name = typeof card.name === 'string' ? card.name : String(card.cardId ?? card.id ?? '');
  const stamps = Number(card.stamps ?? card.count ?? 0);
  const goal = Number(card.stampsRequired ?? card.goal ?? 0);
  return goal > 0
    ? intl.formatMessage({ id: 'customers.stampProgress' }, { name, stamps, goal })
    : name;
}

/** Why an entry moved the balance, in words. */
function Cause({ entry }: { entry: LedgerEntry }) {
  const cause = entry.cause;
  switch (cause.type) {
    case 'order':
      return (
        <FormattedMessage
          id="customers.cause.order"
          values={{ order: cause.orderId ?? '—', rule: cause.rule?.code ?? cause.rule?.id ?? '—' }}
        />
      );
    case 'rule':
      return (
        <FormattedMessage
          id="customers.cause.rule"
          values={{ rule: cause.rule?.code ?? cause.rule?.id ?? '—' }}
        />
      );
    case 'redemption':
      return (
        <FormattedMessage
          id="customers.cause.redemption"
          values={{ reward: cause.rewardId ?? '—' }}
        />
      );
    case 'adjustment':
      return (
        <span data-testid="cause-adjustment">
          <FormattedMessage
            id="customers.cause.adjustment"
            values={{ reason: cause.reason ?? '—' }}
          />
        </span>
      );
    case 'expiry':
      return <FormattedMessage id="customers.cause.expiry" />;
    case 'reversal':
      return (
        <FormattedMessage
          id="customers.cause.reversal"
          values={{ reason: cause.reason ?? cause.refundId ?? cause.orderId ?? '—' }}
        />
      );
  }
}
