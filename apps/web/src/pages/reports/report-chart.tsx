// ECharts, loaded only with the first chart (React.lazy in lazy-chart.tsx): the main bundle never carries it.
// Only the chart kinds and components the reports use are registered, so the chunk stays small; the SVG
// renderer keeps printed and zoomed charts sharp.
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { DrillCell } from '../../api/reports.ts';
import { type ChartSpec, formatFigure } from './report-model.ts';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  FunnelChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  SVGRenderer,
]);

export type ChartPick = { cell: DrillCell; category: string; series: string; value: number; type: string };

export type ReportChartProps = {
  spec: ChartSpec;
  locale: string;
  /** A bar, point, slice or funnel step was clicked. */
  onPick?: (pick: ChartPick) => void;
  height?: number;
  /** Small, for the workspace: no legend, fewer labels. */
  compact?: boolean;
  label: string;
};

type TooltipParam = { seriesName?: string; name?: string; value?: unknown; seriesIndex?: number; marker?: unknown };

/** Tooltips are built as DOM text, so names defined by administrators are never parsed as HTML. */
function tooltipNode(params: TooltipParam | TooltipParam[], spec: ChartSpec, locale: string): HTMLElement {
  const list = Array.isArray(params) ? params : [params];
  const box = document.createElement('div');
  const head = document.createElement('div');
  head.style.fontWeight = '600';
  head.textContent = list[0]?.name ?? '';
  box.append(head);
  for (const item of list) {
    const series = spec.series[item.seriesIndex ?? 0];
    const line = document.createElement('div');
    const value = typeof item.value === 'number' ? item.value : Number(item.value ?? 0);
    line.textContent = `${item.seriesName ?? ''}: ${formatFigure(value, series?.type ?? 'number', locale)}`;
    box.append(line);
  }
  return box;
}

function optionOf(spec: ChartSpec, locale: string, compact: boolean): echarts.EChartsCoreOption {
  const tooltip = {
    confine: true,
    formatter: (params: unknown) => tooltipNode(params as TooltipParam | TooltipParam[], spec, locale),
  };
  const integers = spec.series.every((series) => series.points.every((point) => Number.isInteger(point.value)));
  const legend =
    !compact && spec.series.length > 1
      ? { type: 'scroll' as const, top: 0, textStyle: { color: '#262626' } }
      : undefined;
  if (spec.kind === 'pie' || spec.kind === 'funnel') {
    const series = spec.series[0];
    const data = spec.categories.map((name, index) => ({ name, value: series?.points[index]?.value ?? 0 }));
    return {
      animation: false,
      tooltip: { ...tooltip, trigger: 'item' },
      series: [
        spec.kind === 'pie'
          ? {
              type: 'pie',
              name: series?.name,
              radius: compact ? ['35%', '70%'] : ['30%', '65%'],
              data,
              label: { show: !compact, formatter: '{b}: {c}' },
            }
          : {
              type: 'funnel',
              name: series?.name,
              data,
              // Widest step first, as a funnel reads; clicks still name the data item, not its place.
              sort: 'descending',
              top: 8,
              bottom: 8,
              left: '10%',
              width: '80%',
              label: { show: !compact, position: 'inside', color: '#fff', formatter: '{b}: {c}' },
            },
      ],
    };
  }
  return {
    animation: false,
    tooltip: { ...tooltip, trigger: 'axis', axisPointer: { type: spec.kind === 'bar' ? 'shadow' : 'line' } },
    ...(legend ? { legend } : {}),
    grid: { left: 8, right: 16, top: legend ? 36 : 16, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: spec.categories,
      axisLabel: {
        color: '#434343',
        interval: compact ? 'auto' : 0,
        hideOverlap: true,
        rotate: !compact && spec.categories.length > 8 ? 30 : 0,
      },
    },
    // Counts have no half steps.
    yAxis: { type: 'value', axisLabel: { color: '#434343' }, ...(integers ? { minInterval: 1 } : {}) },
    series: spec.series.map((series) => ({
      type: spec.kind,
      name: series.name,
      data: series.points.map((point) => point.value),
      ...(spec.kind === 'line' ? { symbolSize: 8 } : { barMaxWidth: 48 }),
      emphasis: { focus: 'series' },
    })),
  };
}

/** The centre of each bar or line point, for tests that click a figure the way a person does. */
function pointCentres(chart: echarts.ECharts, spec: ChartSpec): { s: number; i: number; x: number; y: number }[] {
  if (spec.kind !== 'bar' && spec.kind !== 'line') return [];
  const centres: { s: number; i: number; x: number; y: number }[] = [];
  spec.series.forEach((series, s) => {
    series.points.forEach((point, i) => {
      const top = chart.convertToPixel({ seriesIndex: s }, [i, point.value]) as number[] | undefined;
      const base = chart.convertToPixel({ seriesIndex: s }, [i, 0]) as number[] | undefined;
      if (!top || !base) return;
      const [x = 0, yTop = 0] = top;
      const yBase = base[1] ?? yTop;
      centres.push({ s, i, x: Math.round(x), y: Math.round(spec.kind === 'bar' ? (yTop + yBase) / 2 : yTop) });
    });
  });
  return centres;
}

export default function ReportChart({ spec, locale, onPick, height = 320, compact = false, label }: ReportChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'svg', locale: locale.startsWith('zh') ? 'ZH' : 'EN' });
    chart.setOption(optionOf(spec, locale, compact));
    const mark = () => element.setAttribute('data-points', JSON.stringify(pointCentres(chart, spec)));
    chart.on('finished', mark);
    chart.on('click', (event) => {
      const series = spec.series[event.seriesIndex ?? 0];
      const point = series?.points[event.dataIndex];
      if (!series || !point) return;
      pick.current?.({
        cell: point.cell,
        category: spec.categories[event.dataIndex] ?? '',
        series: series.name,
        value: point.value,
        type: series.type,
      });
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [spec, locale, compact]);

  return (
    <div
      ref={host}
      className="report-chart"
      role="img"
      aria-label={label}
      data-kind={spec.kind}
      style={{ height, width: '100%' }}
    />
  );
}
