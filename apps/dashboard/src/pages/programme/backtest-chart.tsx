import { useEffect, useRef } from 'react';
import { Box } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useIntl } from 'react-intl';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Backtest } from './types.ts';

// Drawn on a canvas hidden from screen readers; the figures beside it say the same in text.
echarts.use([BarChart, GridComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

/** Points (left axis) and their cost (right axis) under the live version and the draft. */
export default function BacktestChart({
  report,
  money,
}: {
  report: Backtest;
  money: (minor: number) => string;
}) {
  const intl = useIntl();
  const element = useRef<HTMLDivElement>(null);
  const narrow = useMediaQuery('(max-width: 36em)') ?? false;
  const liveName = intl.formatMessage(
    { id: 'programme.backtest.live' },
    { version: report.live.version },
  );
  const draftName = intl.formatMessage(
    { id: 'programme.backtest.draft' },
    { version: report.draft.version },
  );
  const pointsName = intl.formatMessage({ id: 'programme.backtest.points' });
  const costName = intl.formatMessage({ id: 'programme.backtest.cost' });

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'canvas' });
    const number = (v: number) => intl.formatNumber(v);
    const versions = [liveName, draftName];
    const colours = ['#868e96', '#0ca678'];
    const bars = (values: number[]) =>
      values.map((value, i) => ({ value, itemStyle: { color: colours[i] } }));
    // Two small charts side by side: points and their cost, each live against the draft.
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      // Side by side on a wide screen, one above the other on a phone.
      title: narrow
        ? [
            { text: pointsName, left: 0, top: 0, textStyle: { fontSize: 13 } },
            { text: costName, left: 0, top: '50%', textStyle: { fontSize: 13 } },
          ]
        : [
            { text: pointsName, left: '2%', top: 0, textStyle: { fontSize: 13 } },
            { text: costName, left: '52%', top: 0, textStyle: { fontSize: 13 } },
          ],
      grid: narrow
        ? [
            { left: 0, right: 8, top: 28, height: '36%', containLabel: true },
            { left: 0, right: 8, top: '58%', height: '36%', containLabel: true },
          ]
        : [
            { left: '2%', width: '45%', top: 32, bottom: 8, containLabel: true },
            { left: '52%', width: '45%', top: 32, bottom: 8, containLabel: true },
          ],
      xAxis: [
        {
          type: 'category',
          gridIndex: 0,
          data: versions,
          axisLabel: { interval: 0, fontSize: 11 },
        },
        {
          type: 'category',
          gridIndex: 1,
          data: versions,
          axisLabel: { interval: 0, fontSize: 11 },
        },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, minInterval: 1, axisLabel: { formatter: number } },
        { type: 'value', gridIndex: 1, axisLabel: { formatter: money } },
      ],
      series: [
        {
          name: pointsName,
          type: 'bar',
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: bars([report.live.points, report.draft.points]),
          tooltip: { valueFormatter: (v: unknown) => number(Number(v)) },
        },
        {
          name: costName,
          type: 'bar',
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: bars([report.live.cost.amount, report.draft.cost.amount]),
          tooltip: { valueFormatter: (v: unknown) => money(Number(v)) },
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
  }, [report, money, intl, liveName, draftName, pointsName, costName, narrow]);

  return (
    <Box
      ref={element}
      data-testid="backtest-chart"
      aria-hidden="true"
      w="100%"
      h={narrow ? 460 : 280}
    />
  );
}
