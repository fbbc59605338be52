import { useEffect, useRef } from 'react';
import { Table, Text, VisuallyHidden } from '@mantine/core';
import { FormattedMessage, useIntl } from 'react-intl';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { useShopFormat } from '../i18n/format.ts';
import type { SeriesPoint } from './home-data.ts';

// The chart is drawn on a canvas hidden from screen readers; the table below says the same.
// Only the parts of ECharts the chart uses, so its lazy chunk stays small.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  CanvasRenderer,
]);

/** Revenue (bars, left axis) and points issued (line, right axis) per step of the period. */
export default function TrendChart({
  points,
  fmt,
}: {
  points: SeriesPoint[];
  fmt: ReturnType<typeof useShopFormat>;
}) {
  const intl = useIntl();
  const element = useRef<HTMLDivElement>(null);
  const revenueName = intl.formatMessage({ id: 'home.chartRevenue' });
  const pointsName = intl.formatMessage({ id: 'home.chartPoints' });

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      color: ['#0ca678', '#1c7ed6'],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: points.map((p) => fmt.day(p.from)) },
      yAxis: [
        { type: 'value', axisLabel: { formatter: (v: number) => fmt.money(v) } },
        {
          type: 'value',
          minInterval: 1,
          splitLine: { show: false },
          axisLabel: { formatter: (v: number) => fmt.number(v) },
        },
      ],
      series: [
        {
          name: revenueName,
          type: 'bar',
          data: points.map((p) => p.revenue),
          tooltip: { valueFormatter: (v: unknown) => fmt.money(Number(v)) },
        },
        {
          name: pointsName,
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => p.pointsIssued),
          tooltip: { valueFormatter: (v: unknown) => fmt.number(Number(v)) },
        },
      ],
    });
    element.current.dataset.ready = 'true';
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [points, fmt, revenueName, pointsName]);

  return (
    <>
      <div
        ref={element}
        data-testid="trend-chart"
        aria-hidden="true"
        style={{ height: 300, width: '100%' }}
      />
      <details>
        <summary>
          <Text component="span" size="sm">
            <FormattedMessage id="home.chartTable" />
          </Text>
        </summary>
        <Table striped withTableBorder mt="xs">
          <VisuallyHidden component="caption">
            <FormattedMessage id="home.chart" />
          </VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">
                <FormattedMessage id="home.chartDate" />
              </Table.Th>
              <Table.Th scope="col">{revenueName}</Table.Th>
              <Table.Th scope="col">{pointsName}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {points.map((p) => (
              <Table.Tr key={p.from}>
                <Table.Th scope="row">{fmt.day(p.from)}</Table.Th>
                <Table.Td>{fmt.money(p.revenue)}</Table.Td>
                <Table.Td>{fmt.number(p.pointsIssued)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
    </>
  );
}
