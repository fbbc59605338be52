import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Empty, Loaded } from '../../ui/states.tsx';
import { loadMessages, type MessageRow, type Range } from './analytics-data.ts';
import { Chart } from './chart.tsx';
import type { Fmt } from './figure-format.ts';
import { FigureTable } from './figure-table.tsx';
import { useT } from './use-t.ts';

/** Message results per channel and purpose: sent, delivered, opened, clicked, converted and their revenue. */
export function MessagesTab({ range, fmt }: { range: Range; fmt: Fmt }) {
  const t = useT();
  const query = useQuery({
    queryKey: ['analytics', 'messages', range],
    queryFn: () => loadMessages(range),
  });
  return (
    <Loaded query={query}>
      {({ results }) =>
        results.length === 0 ? (
          <Empty>{t('analytics.messages.empty')}</Empty>
        ) : (
          <MessageFigures rows={results} fmt={fmt} />
        )
      }
    </Loaded>
  );
}

function MessageFigures({ rows, fmt }: { rows: MessageRow[]; fmt: Fmt }) {
  const t = useT();
  const name = (r: MessageRow) =>
    `${t(`analytics.messages.channel.${r.channel}`)} · ${t(`analytics.messages.purpose.${r.purpose}`)}`;
  const share = (x: number | null) => (x === null ? '—' : fmt.percent(x));
  const option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmt.percent(Number(v)) },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map(name) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.percent(v) } },
    color: ['#0ca678', '#1c7ed6', '#f08c00'],
    series: (['openRate', 'clickRate', 'conversionRate'] as const).map((k) => ({
      name: t(`analytics.messages.${k}`),
      type: 'bar',
      data: rows.map((r) => r[k] ?? 0),
    })),
  };
  const hint = (k: string) => t(`analytics.messages.${k}Hint`);
  return (
    <Stack gap="xs">
      <FigureTable<MessageRow>
        chart={<Chart option={option} testId="messages-chart" />}
        title={t('analytics.messages.table')}
        rows={rows}
        rowKey={(r) => `${r.channel}-${r.purpose}`}
        csvName="messages"
        testId="messages-table"
        columns={[
          {
            key: 'kind',
            label: t('analytics.messages.kind'),
            hint: hint('kind'),
            value: (r) => `${r.channel}/${r.purpose}`,
            show: name,
            rowHeader: true,
          },
          {
            key: 'sent',
            label: t('analytics.messages.sent'),
            hint: hint('sent'),
            value: (r) => r.sent,
            show: (r) => fmt.number(r.sent),
          },
          {
            key: 'delivered',
            label: t('analytics.messages.delivered'),
            hint: hint('delivered'),
            value: (r) => r.delivered,
            show: (r) => fmt.number(r.delivered),
          },
          {
            key: 'suppressed',
            label: t('analytics.messages.suppressed'),
            hint: hint('suppressed'),
            value: (r) => r.suppressed,
            show: (r) => fmt.number(r.suppressed),
          },
          {
            key: 'openRate',
            label: t('analytics.messages.openRate'),
            hint: hint('openRate'),
            value: (r) => r.openRate,
            show: (r) => share(r.openRate),
          },
          {
            key: 'clickRate',
            label: t('analytics.messages.clickRate'),
            hint: hint('clickRate'),
            value: (r) => r.clickRate,
            show: (r) => share(r.clickRate),
          },
          {
            key: 'converted',
            label: t('analytics.messages.converted'),
            hint: hint('converted'),
            value: (r) => r.converted,
            show: (r) => fmt.number(r.converted),
          },
          {
            key: 'revenue',
            label: t('analytics.messages.revenue'),
            hint: hint('revenue'),
            value: (r) => r.revenue / 100,
            show: (r) => fmt.money(r.revenue),
          },
        ]}
      />
    </Stack>
  );
}
