import { lazy, Suspense } from 'react';
import { Loading } from '../../ui/states.tsx';
import type { ChartOption } from './echart.tsx';

// ECharts is large: it loads when an analytics chart is first drawn, never with the first page.
export const loadEChart = () => import('./echart.tsx');
const EChart = lazy(loadEChart);

export function Chart(props: { option: ChartOption; testId: string; height?: number }) {
  return (
    <Suspense fallback={<Loading />}>
      <EChart {...props} />
    </Suspense>
  );
}
