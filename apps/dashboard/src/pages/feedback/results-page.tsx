import { useState } from 'react';
import {
  Anchor,
  Badge,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { FormattedMessage, useIntl } from 'react-intl';
import { addDays, todayIn, useShopFormat } from '../../i18n/format.ts';
import { useLocale } from '../../i18n/locale.tsx';
import { useShop } from '../../layout/shop-context.ts';
import { dayOf } from '../../ui/shop-time.ts';
import { Empty, Failure, Loading } from '../../ui/states.tsx';
import { FeedbackHeader } from './feedback-nav.tsx';
import {
  loadAnswers,
  loadResults,
  loadSeries,
  type SurveyFigures,
  type SurveyKind,
} from './feedback-data.ts';

const PERIODS = [3, 6, 12];

/** The first day of the month `months - 1` before today's, and tomorrow: [from, to). */
function periodOf(today: string, months: number) {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const index = y * 12 + (m - 1) - (months - 1);
  const from = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(today, 1) };
}

/** NPS and CSAT: the period's figure, month by month, and the comments behind them. */
export function FeedbackResultsPage() {
  const intl = useIntl();
  const { membership, shop } = useShop();
  const format = useShopFormat(shop);
  const [kind, setKind] = useState<SurveyKind>('nps');
  const [months, setMonths] = useState(6);
  const [onlyLow, setOnlyLow] = useState(false);
  const period = periodOf(todayIn(format.timezone), months);
  const query = { kind, ...period };
  const results = useQuery({
    queryKey: ['survey-results', membership.id, query],
    queryFn: () => loadResults(query),
    placeholderData: keepPreviousData,
  });
  const series = useQuery({
    queryKey: ['survey-series', membership.id, query],
    queryFn: () => loadSeries(query),
    placeholderData: keepPreviousData,
  });
  const answers = useQuery({
    queryKey: ['survey-answers', membership.id, query, onlyLow],
    queryFn: () =>
      loadAnswers({ ...query, withComment: 'true', ...(onlyLow ? { low: 'true' } : {}) }),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack>
      <FeedbackHeader />
      <Group wrap="wrap" align="flex-end">
        <SegmentedControl
          aria-label={intl.formatMessage({ id: 'feedback.kind' })}
          value={kind}
          onChange={(v) => setKind(v as SurveyKind)}
          data={[
            { value: 'nps', label: intl.formatMessage({ id: 'feedback.kind.nps' }) },
            { value: 'csat', label: intl.formatMessage({ id: 'feedback.kind.csat' }) },
          ]}
        />
        <Select
          label={intl.formatMessage({ id: 'feedback.period' })}
          data={PERIODS.map((n) => ({
            value: String(n),
            label: intl.formatMessage({ id: 'feedback.period.months' }, { n }),
          }))}
          value={String(months)}
          onChange={(v) => v && setMonths(Number(v))}
          allowDeselect={false}
          w={220}
        />
      </Group>
      {results.isPending ? (
        <Loading />
      ) : results.error ? (
        <Failure error={results.error} onRetry={() => void results.refetch()} />
      ) : results.data.requests === 0 ? (
        <Empty>
          <FormattedMessage id="feedback.none" />
        </Empty>
      ) : (
        <Headline kind={kind} figures={results.data} />
      )}
      <Title order={2} size="h3">
        <FormattedMessage id="feedback.byMonth" />
      </Title>
      {series.isPending ? (
        <Loading />
      ) : series.error ? (
        <Failure error={series.error} onRetry={() => void series.refetch()} />
      ) : (
        <MonthTable kind={kind} months={series.data.data} />
      )}
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3">
          <FormattedMessage id="feedback.comments" />
        </Title>
        <Switch
          label={intl.formatMessage({ id: 'feedback.comments.onlyLow' })}
          checked={onlyLow}
          onChange={(e) => setOnlyLow(e.currentTarget.checked)}
        />
      </Group>
      {answers.isPending ? (
        <Loading />
      ) : answers.error ? (
        <Failure error={answers.error} onRetry={() => void answers.refetch()} />
      ) : answers.data.data.length === 0 ? (
        <Empty>
          <FormattedMessage id="feedback.comments.none" />
        </Empty>
      ) : (
        <Stack gap="xs" data-testid="survey-comments">
          {answers.data.data.map((a) => (
            <Paper key={a.requestId} withBorder p="sm">
              <Group gap="xs" wrap="wrap">
                <Badge
                  color={
                    lowCategory(a.category)
                      ? 'red'
                      : a.score >= (kind === 'nps' ? 9 : 4)
                        ? 'teal'
                        : 'gray'
                  }
                >
                  {intl.formatMessage(
                    { id: 'feedback.score' },
                    { score: a.score, max: kind === 'nps' ? 10 : 5 },
                  )}
                </Badge>
                <Text size="sm" c="dimmed">
                  {intl.formatMessage({ id: `feedback.category.${a.category}` })} ·{' '}
                  {format.day(dayOf(a.answeredAt, format.timezone))}
                </Text>
                <Anchor
                  size="sm"
                  renderRoot={(props) => (
                    <Link
                      to="/customers/$customerId"
                      params={{ customerId: a.customerId }}
                      {...props}
                    />
                  )}
                >
                  {a.customer.name ?? a.customer.email ?? a.customerId}
                </Anchor>
                {a.taskId && (
                  <Anchor size="sm" component={Link} to="/feedback/tasks">
                    <FormattedMessage id="feedback.task" />
                  </Anchor>
                )}
              </Group>
              <Text mt={4}>{a.comment}</Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

const lowCategory = (c: string) => c === 'detractor' || c === 'dissatisfied';

function useFigureFormat() {
  const { locale } = useLocale();
  const tag = locale === 'pl' ? 'pl-PL' : 'en-GB';
  return {
    signed: new Intl.NumberFormat(tag, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
    decimal: new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    percent: new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }),
  };
}

/** The headline figure of a period as the API counts it. */
function scoreText(kind: SurveyKind, f: SurveyFigures, fmt: ReturnType<typeof useFigureFormat>) {
  if (kind === 'nps') return f.nps?.score == null ? '—' : fmt.signed.format(f.nps.score);
  return f.csat?.average == null ? '—' : fmt.decimal.format(f.csat.average);
}

function Headline({ kind, figures }: { kind: SurveyKind; figures: SurveyFigures }) {
  const intl = useIntl();
  const fmt = useFigureFormat();
  const stat = (label: string, value: string, testId?: string, help?: string) => (
    <Paper withBorder p="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} data-testid={testId} title={help}>
        {value}
      </Text>
      {help && (
        <Text size="xs" c="dimmed">
          {help}
        </Text>
      )}
    </Paper>
  );
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
      {kind === 'nps'
        ? stat(
            intl.formatMessage({ id: 'feedback.nps.score' }),
            scoreText(kind, figures, fmt),
            'survey-score',
            intl.formatMessage({ id: 'feedback.nps.help' }),
          )
        : stat(
            intl.formatMessage({ id: 'feedback.csat.average' }),
            scoreText(kind, figures, fmt),
            'survey-score',
            intl.formatMessage({ id: 'feedback.csat.help' }),
          )}
      {stat(
        intl.formatMessage({ id: 'feedback.answered' }),
        intl.formatMessage(
          { id: 'feedback.answeredOf' },
          { count: figures.count, requests: figures.requests },
        ),
      )}
      {stat(
        intl.formatMessage({ id: 'feedback.responseRate' }),
        figures.responseRate === null ? '—' : fmt.percent.format(figures.responseRate),
      )}
      {kind === 'nps' && figures.nps ? (
        <Paper withBorder p="md" data-testid="nps-split">
          <Text size="sm">
            <FormattedMessage id="feedback.promoters" />: <strong>{figures.nps.promoters}</strong>
          </Text>
          <Text size="sm">
            <FormattedMessage id="feedback.passives" />: <strong>{figures.nps.passives}</strong>
          </Text>
          <Text size="sm">
            <FormattedMessage id="feedback.detractors" />: <strong>{figures.nps.detractors}</strong>
          </Text>
        </Paper>
      ) : (
        stat(
          intl.formatMessage({ id: 'feedback.csat.satisfied' }),
          figures.csat?.satisfiedPercent == null
            ? '—'
            : fmt.percent.format(figures.csat.satisfiedPercent / 100),
        )
      )}
    </SimpleGrid>
  );
}

function MonthTable({
  kind,
  months,
}: {
  kind: SurveyKind;
  months: (SurveyFigures & { month: string })[];
}) {
  const { locale } = useLocale();
  const fmt = useFigureFormat();
  const monthName = new Intl.DateTimeFormat(locale === 'pl' ? 'pl-PL' : 'en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return (
    <Table.ScrollContainer minWidth={340}>
      <Table striped data-testid="survey-months">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <FormattedMessage id="feedback.col.month" />
            </Table.Th>
            <Table.Th ta="right">
              <FormattedMessage id="feedback.col.sent" />
            </Table.Th>
            <Table.Th ta="right">
              <FormattedMessage id="feedback.col.answered" />
            </Table.Th>
            <Table.Th ta="right">
              <FormattedMessage
                id={kind === 'nps' ? 'feedback.nps.score' : 'feedback.csat.average'}
              />
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {months.map((m) => (
            <Table.Tr key={m.month} data-testid={`survey-month-${m.month}`}>
              <Table.Td>{monthName.format(new Date(`${m.month}-01T00:00:00Z`))}</Table.Td>
              <Table.Td ta="right">{m.requests}</Table.Td>
              <Table.Td ta="right">{m.count}</Table.Td>
              <Table.Td ta="right">{scoreText(kind, m, fmt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
