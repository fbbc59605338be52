import { useEffect, useState, type ReactNode } from 'react';
import { Group, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useShop } from '../../layout/shop-context.ts';
import { addDays, todayIn } from '../../i18n/format.ts';
import { useFigureFormat } from './figure-format.ts';
import { MONTHS, monthsRange, TABS, type Months, type Tab } from './analytics-data.ts';
import { loadEChart } from './chart.tsx';
import { useT } from './use-t.ts';
import { CohortsTab } from './cohorts-tab.tsx';
import { RepeatTab } from './repeat-tab.tsx';
import { ClvTab } from './clv-tab.tsx';
import { PointsTab } from './points-tab.tsx';
import { LiftTab } from './lift-tab.tsx';
import { MessagesTab } from './messages-tab.tsx';
import { BenefitsTab } from './benefits-tab.tsx';

/**
 * Analytics: cohorts, repeat purchases and RFM, CLV, points economics, the programme's lift,
 * message results and benefit cost–effect; one tab each, at /admin/analytics/<tab>, over the
 * chosen months (shop days).
 */
export function AnalyticsPage() {
  const t = useT();
  const { shop } = useShop();
  const fmt = useFigureFormat(shop);
  const navigate = useNavigate();
  const tab: Tab = useSearch({ from: '/signed-in/analytics' }).tab ?? 'cohorts';
  const [months, setMonths] = useState<Months>(12);
  const range = monthsRange(todayIn(fmt.timezone), months);
  // Fetch the charts' code while the figures load, not after.
  useEffect(() => {
    void loadEChart();
  }, []);

  const panels: Record<Tab, () => ReactNode> = {
    cohorts: () => <CohortsTab range={range} fmt={fmt} />,
    repeat: () => <RepeatTab range={range} fmt={fmt} />,
    clv: () => <ClvTab fmt={fmt} />,
    points: () => <PointsTab range={range} fmt={fmt} />,
    lift: () => <LiftTab range={range} fmt={fmt} />,
    messages: () => <MessagesTab range={range} fmt={fmt} />,
    benefits: () => <BenefitsTab range={range} fmt={fmt} />,
  };
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('analytics.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('analytics.period', {
              from: fmt.fullDay(range.from),
              to: fmt.fullDay(addDays(range.to, -1)),
            })}
          </Text>
        </div>
        <Select
          label={t('analytics.months')}
          data={MONTHS.map((m) => ({
            value: String(m),
            label: t('analytics.monthsOption', { count: m }),
          }))}
          value={String(months)}
          onChange={(v) => v && setMonths(Number(v) as Months)}
          allowDeselect={false}
          w={200}
        />
      </Group>
      <Tabs
        value={tab}
        onChange={(v) => v && void navigate({ to: '/analytics', search: { tab: v as Tab } })}
        keepMounted={false}
      >
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {TABS.map((key) => (
            <Tabs.Tab key={key} value={key}>
              {t(`analytics.tab.${key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((key) => (
          <Tabs.Panel key={key} value={key} pt="md">
            {key === tab && panels[key]()}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
