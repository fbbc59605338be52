import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only the parts of ECharts the analytics charts use; this module is its own lazy chunk.
echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * A chart drawn on a canvas hidden from screen readers: every chart stands above a table of the
 * same figures, which is what assistive technology reads.
 */
export default function EChart({
  option,
  testId,
  height = 300,
}: {
  option: ChartOption;
  testId: string;
  height?: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // Follow the box, not the window: a chart first drawn while its column was still being laid
    // out (or hidden in a tab) would otherwise keep its first, too narrow size.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  // A new option (new figures, another language) redraws the same chart.
  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
    if (element.current) element.current.dataset.ready = 'true';
  }, [option]);
  return (
    <div ref={element} data-testid={testId} aria-hidden="true" style={{ height, width: '100%' }} />
  );
}
