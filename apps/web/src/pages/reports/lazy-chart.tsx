import { Skeleton } from 'antd';
import { Component, lazy, type ReactNode, Suspense } from 'react';
import type { ReportChartProps } from './report-chart.tsx';

// The chart module (and ECharts with it) is fetched the first time a chart is shown.
const ReportChart = lazy(() => import('./report-chart.tsx'));

/** A chart that failed to load or draw leaves its message and the page (and its table) working. */
class ChartBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function LazyChart(props: ReportChartProps & { failed: ReactNode }) {
  const { failed, ...chart } = props;
  return (
    <ChartBoundary fallback={failed}>
      <Suspense
        fallback={
          <div style={{ height: chart.height ?? 320 }} className="report-chart-loading">
            <Skeleton.Node active style={{ width: '100%', height: chart.height ?? 320 }} />
          </div>
        }
      >
        <ReportChart {...chart} />
      </Suspense>
    </ChartBoundary>
  );
}
