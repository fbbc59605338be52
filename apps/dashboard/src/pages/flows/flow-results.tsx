import type { ReactNode } from 'react';
import { Box, Group, Paper, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import { useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { Empty } from '../../ui/states.tsx';
import type { FlowDefinition, FlowResults } from './flows-data.ts';

type MessageRow = FlowResults['messages'][number];

/** A figure or a heading that says, on hover or focus, what it counts and over which period. */
function Explained({ help, children }: { help: string; children: ReactNode }) {
  return (
    <Tooltip
      label={help}
      multiline
      w={300}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <Text
        span
        inherit
        tabIndex={0}
        style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3, cursor: 'help' }}
      >
        {children}
      </Text>
    </Tooltip>
  );
}

function sumRows(rows: MessageRow[]) {
  const total = {
    sent: 0,
    heldBack: 0,
    reasons: {} as Record<string, number>,
    opened: 0,
    clicked: 0,
    converted: 0,
    revenue: 0,
  };
  for (const r of rows) {
    total.sent += r.sent;
    total.opened += r.opened;
    total.clicked += r.clicked;
    total.converted += r.converted;
    total.revenue += r.revenue;
    for (const [reason, n] of Object.entries(r.notSent)) {
      total.heldBack += n;
      total.reasons[reason] = (total.reasons[reason] ?? 0) + n;
    }
  }
  return total;
}

/** A flow's results: runs, each step's messages, the A/B test against the holdout, versions. */
export function FlowResultsView({
  results,
  definition,
}: {
  results: FlowResults;
  definition: FlowDefinition;
}) {
  const intl = useIntl();
  const { shop } = useShop();
  const fmt = useShopFormat(shop);
  const { locale } = useLocale();
  const date = new Intl.DateTimeFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
    dateStyle: 'long',
    timeZone: fmt.timezone,
  }).format(new Date(results.since));
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
  // Revenue is in the shop's currency (results.currency), as fmt.money formats it.
  const money = fmt.money;
  const entered = Object.values(results.runs).reduce((a, b) => a + b, 0);

  const reasonText = (reason: string) => {
    const known = `flows.results.reason.${reason}`;
    if (intl.messages[known]) return t(known);
    if (reason.startsWith('run_exited')) return t('flows.results.reason.left');
    if (reason.startsWith('flow_')) return t('flows.results.reason.paused');
    if (reason === 'run_failed') return t('flows.results.reason.failed');
    return reason;
  };

  const stepIds = [
    ...definition.steps.map((s) => s.id),
    // Steps of older versions that have results, after the current ones.
    ...[...new Set(results.messages.map((m) => m.stepId))].filter(
      (id) => !definition.steps.some((s) => s.id === id),
    ),
  ];
  const outcomes = new Map(results.steps.map((s) => [s.stepId, s.outcomes]));

  const stat = (id: string, value: number, helpId: string, testId: string) => (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        <Explained help={t(helpId, { date })}>{t(id)}</Explained>
      </Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {fmt.number(value)}
      </Text>
    </Paper>
  );
  const head = (id: string, helpId: string) => (
    <Table.Th scope="col" ta="right">
      <Explained help={t(helpId, { date })}>{t(id)}</Explained>
    </Table.Th>
  );
  const figures = (
    key: string,
    label: ReactNode,
    rows: MessageRow[],
    reached: number | null,
    sub = false,
  ) => {
    const s = sumRows(rows);
    const has = rows.length > 0;
    const dash = '—';
    return (
      <Table.Tr key={key} data-testid={`result-${key}`}>
        <Table.Th scope="row" fw={sub ? 400 : 600} pl={sub ? 'lg' : undefined}>
          {label}
        </Table.Th>
        <Table.Td ta="right" data-testid="reached">
          {reached === null ? dash : fmt.number(reached)}
        </Table.Td>
        <Table.Td ta="right" data-testid="sent">
          {has ? fmt.number(s.sent) : dash}
        </Table.Td>
        <Table.Td ta="right" data-testid="held-back">
          {has ? fmt.number(s.heldBack) : dash}
          {s.heldBack > 0 && (
            <Text size="xs" c="dimmed" data-testid="reasons">
              {Object.entries(s.reasons)
                .map(([r, n]) => `${reasonText(r)}: ${fmt.number(n)}`)
                .join(', ')}
            </Text>
          )}
        </Table.Td>
        <Table.Td ta="right" data-testid="opened">
          {has ? fmt.number(s.opened) : dash}
        </Table.Td>
        <Table.Td ta="right" data-testid="clicked">
          {has ? fmt.number(s.clicked) : dash}
        </Table.Td>
        <Table.Td ta="right" data-testid="converted">
          {has ? fmt.number(s.converted) : dash}
        </Table.Td>
        <Table.Td ta="right" data-testid="revenue">
          {has ? money(s.revenue) : dash}
        </Table.Td>
      </Table.Tr>
    );
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="flow-results-title">
      <Title order={2} size="h4" id="flow-results-title">
        <FormattedMessage id="flows.results.title" />
      </Title>
      <Text size="sm" mb="sm" data-testid="results-period">
        <FormattedMessage id="flows.results.period" values={{ date }} />
      </Text>
      {entered === 0 ? (
        <Empty>
          <FormattedMessage id="flows.results.none" />
        </Empty>
      ) : (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {stat('flows.results.entered', entered, 'flows.results.entered.help', 'runs-entered')}
            {stat(
              'flows.results.active',
              results.runs.active ?? 0,
              'flows.results.active.help',
              'runs-active',
            )}
            {stat(
              'flows.results.completed',
              results.runs.completed ?? 0,
              'flows.results.completed.help',
              'runs-completed',
            )}
            {stat(
              'flows.results.exited',
              (results.runs.exited ?? 0) + (results.runs.failed ?? 0),
              'flows.results.exited.help',
              'runs-exited',
            )}
          </SimpleGrid>

          <section aria-labelledby="flow-results-steps">
            <Title order={3} size="h5" id="flow-results-steps" mb="xs">
              <FormattedMessage id="flows.results.steps" />
            </Title>
            <Table.ScrollContainer minWidth={760}>
              <Table striped data-testid="step-results">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">
                      <FormattedMessage id="flows.results.col.step" />
                    </Table.Th>
                    {head('flows.results.col.reached', 'flows.results.help.reached')}
                    {head('flows.results.col.sent', 'flows.results.help.sent')}
                    {head('flows.results.col.heldBack', 'flows.results.help.heldBack')}
                    {head('flows.results.col.opened', 'flows.results.help.opened')}
                    {head('flows.results.col.clicked', 'flows.results.help.clicked')}
                    {head('flows.results.col.converted', 'flows.results.help.converted')}
                    {head('flows.results.col.revenue', 'flows.results.help.revenue')}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {stepIds.flatMap((id) => {
                    const step = definition.steps.find((s) => s.id === id);
                    const rows = results.messages.filter((m) => m.stepId === id);
                    const reached = outcomes.has(id)
                      ? Object.values(outcomes.get(id)!).reduce((a, b) => a + b, 0)
                      : null;
                    const label = step ? `${id} · ${t(`flows.step.${step.type}`)}` : id;
                    const variants = [...new Set(rows.map((r) => r.variant))];
                    return [
                      figures(id, label, rows, reached ?? (step ? 0 : null)),
                      ...(variants.length > 1 || (variants.length === 1 && variants[0] !== null)
                        ? variants.map((v) =>
                            figures(
                              `${id}--${v ?? ''}`,
                              t('flows.results.variantRows', { variant: v ?? '—' }),
                              rows.filter((r) => r.variant === v),
                              null,
                              true,
                            ),
                          )
                        : []),
                    ];
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </section>

          <AbTest results={results} date={date} />

          <section aria-labelledby="flow-results-versions">
            <Title order={3} size="h5" id="flow-results-versions" mb="xs">
              <Explained help={t('flows.results.help.versions')}>
                {t('flows.results.versions')}
              </Explained>
            </Title>
            <Table.ScrollContainer minWidth={320}>
              <Table data-testid="version-results">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">
                      <FormattedMessage id="flows.col.version" />
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      <FormattedMessage id="flows.results.col.versionRuns" />
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      <FormattedMessage id="flows.results.col.versionActive" />
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {results.versions.map((v) => (
                    <Table.Tr key={v.version} data-testid={`version-${v.version}`}>
                      <Table.Th scope="row">{v.version}</Table.Th>
                      <Table.Td ta="right">{fmt.number(v.runs)}</Table.Td>
                      <Table.Td ta="right">{fmt.number(v.active)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </section>
        </Stack>
      )}
    </Paper>
  );
}

function AbTest({ results, date }: { results: FlowResults; date: string }) {
  const intl = useIntl();
  const { locale } = useLocale();
  const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
  const t = (id: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id }, values);
  const pp = new Intl.NumberFormat(tag, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const plain = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const p3 = new Intl.NumberFormat(tag, { maximumFractionDigits: 3, minimumFractionDigits: 3 });
  const pText = (p: number | null | undefined) =>
    p === null || p === undefined ? '—' : p < 0.001 ? `< ${p3.format(0.001)}` : p3.format(p);
  // "p = 0.398", "p < 0.001"
  const pSentence = (p: number | null | undefined) =>
    p === null || p === undefined ? 'p —' : p < 0.001 ? `p ${pText(p)}` : `p = ${pText(p)}`;
  const groupName = (v: string) =>
    v === 'holdout' ? t('flows.results.holdout') : t('flows.results.variant', { variant: v });
  const variants = results.variants;
  if (variants.length === 0)
    return (
      <section aria-labelledby="flow-results-ab">
        <Title order={3} size="h5" id="flow-results-ab" mb="xs">
          <FormattedMessage id="flows.results.ab" />
        </Title>
        <Text size="sm">
          <FormattedMessage id="flows.results.noAb" />
        </Text>
      </section>
    );
  const control = variants.find((v) => v.againstControl)?.againstControl?.control ?? 'holdout';
  const max = Math.max(...variants.map((v) => v.conversionRate ?? 0), 0.0001);
  const help = (id: string) =>
    t(id, { days: results.conversionDays, date, control: groupName(control) });

  return (
    <section aria-labelledby="flow-results-ab">
      <Title order={3} size="h5" id="flow-results-ab" mb="xs">
        <FormattedMessage id="flows.results.ab" />
      </Title>
      <Text size="sm" mb="xs">
        <FormattedMessage
          id="flows.results.abIntro"
          values={{ days: results.conversionDays, control: groupName(control) }}
        />
      </Text>
      <Stack gap={4} mb="sm" data-testid="ab-verdicts">
        {variants
          .filter((v) => v.againstControl)
          .map((v) => {
            const d = v.againstControl!;
            if (d.difference === undefined || !d.ci95)
              return (
                <Text key={v.variant} size="sm" data-variant={v.variant}>
                  {t('flows.results.tooFew', { group: groupName(v.variant) })}
                </Text>
              );
            const significant = d.ci95[0] > 0 || d.ci95[1] < 0;
            return (
              <Text key={v.variant} size="sm" data-variant={v.variant}>
                <Text span fw={700} inherit>
                  {t('flows.results.verdict', {
                    group: groupName(v.variant).replace(/^./, (c) => c.toUpperCase()),
                    diff: pp.format(d.difference * 100),
                    low: plain.format(d.ci95[0] * 100),
                    high: plain.format(d.ci95[1] * 100),
                    p: pSentence(d.pValue),
                  })}
                </Text>{' '}
                {t(significant ? 'flows.results.significant' : 'flows.results.notSignificant')}
              </Text>
            );
          })}
      </Stack>
      {/* The chart: each group's conversion as a bar; the table below holds the same figures. */}
      <Box role="img" aria-label={t('flows.results.chart')} mb="sm" data-testid="ab-chart">
        {variants.map((v) => (
          <Group key={v.variant} gap="xs" wrap="nowrap" mb={4}>
            <Text size="xs" w={150} ta="right" style={{ flexShrink: 0 }} aria-hidden="true">
              {groupName(v.variant)}
            </Text>
            <Box
              h={14}
              bg={v.variant === 'holdout' ? 'gray.6' : 'teal.8'}
              w={`${Math.max(((v.conversionRate ?? 0) / max) * 70, 0.5)}%`}
              style={{ borderRadius: 3 }}
            />
            <Text size="xs" aria-hidden="true">
              {v.conversionRate === null ? '—' : pct.format(v.conversionRate)}
            </Text>
          </Group>
        ))}
      </Box>
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="ab-results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">
                <FormattedMessage id="flows.results.col.group" />
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <FormattedMessage id="flows.results.col.customers" />
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <FormattedMessage id="flows.results.col.converted" />
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <Explained help={help('flows.results.help.conversion')}>
                  {t('flows.results.col.conversion')}
                </Explained>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <Explained help={help('flows.results.help.difference')}>
                  {t('flows.results.col.difference')}
                </Explained>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <FormattedMessage id="flows.results.col.interval" />
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <Explained help={help('flows.results.help.p')}>
                  {t('flows.results.col.p')}
                </Explained>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {variants.map((v) => {
              const d = v.againstControl;
              return (
                <Table.Tr key={v.variant} data-testid={`ab-${v.variant}`}>
                  <Table.Th scope="row">{groupName(v.variant)}</Table.Th>
                  <Table.Td ta="right" data-testid="runs">
                    {v.runs}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="converted">
                    {v.converted}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="rate">
                    {v.conversionRate === null ? '—' : pct.format(v.conversionRate)}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="difference">
                    {d?.difference === undefined ? '—' : pp.format(d.difference * 100)}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="interval">
                    {d?.ci95
                      ? `${plain.format(d.ci95[0] * 100)} … ${plain.format(d.ci95[1] * 100)}`
                      : '—'}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="p">
                    {d ? pText(d.pValue) : '—'}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}
