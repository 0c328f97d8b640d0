// A time-series chart (uPlot on a canvas) with a text alternative: a summary and the data as a table.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime } from '../lib/format';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** CSS colour; the palette is chosen for contrast on light and dark backgrounds. */
  color: string;
  dash?: boolean;
}

export const PALETTE = {
  ok: '#1a7f37',
  bad: '#cf222e',
  blue: '#0969da',
  purple: '#8250df',
  orange: '#bc4c00',
};

function widthOf(el: HTMLElement): number {
  return Math.max(260, Math.floor(el.clientWidth));
}

export function Chart(props: {
  title: string;
  x: number[];
  series: ChartSeries[];
  format: (v: number | null) => string;
  /** Axis labels when they need more precision than the values (default `format`). */
  axisFormat?: (v: number) => string;
  /** Top of the y axis (e.g. 1 for a ratio); default: 10 % above the largest value. */
  yMax?: number;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: widthOf(el),
      height: props.height ?? 220,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true },
      scales: {
        x: { time: true },
        // Every series is non-negative: the axis starts at 0, and an all-zero chart still has a scale.
        y: { range: (_u, _min, max) => [0, props.yMax ?? (max > 0 ? max * 1.1 : 1)] },
      },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.25)' } },
        {
          stroke: 'currentColor',
          grid: { stroke: 'rgba(128,128,128,0.25)' },
          size: 70,
          values: (_u, vals) => vals.map((v) => (props.axisFormat ?? props.format)(v)),
        },
      ],
      series: [
        { label: 'Time', value: (_u, v) => (v === null ? '—' : formatTime(v * 1000)) },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash ? [6, 4] : undefined,
          spanGaps: false,
          // A lone point draws no line: mark the points of sparse series.
          points: { show: s.values.filter((v) => v !== null).length <= 30, size: 7, fill: s.color },
          value: (_u: uPlot, v: number | null) => props.format(v),
        })),
      ],
    };
    const data = [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: widthOf(el), height: opts.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [
    props.x,
    props.height,
    props.format,
    props.axisFormat,
    props.yMax,
    ...props.series.map((s) => s.values),
  ]);

  const summary = props.series
    .map((s) => {
      const vals = s.values.filter((v): v is number => v !== null);
      if (vals.length === 0) return `${s.label}: no data`;
      return `${s.label}: max ${props.format(Math.max(...vals))}, last ${props.format(vals[vals.length - 1]!)}`;
    })
    .join('; ');
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-canvas" role="img" aria-label={`${props.title}. ${summary}.`} />
      <details>
        <summary>Data as a table</summary>
        <div class="table-wrap" tabIndex={0} role="region" aria-label={`${props.title} data`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {props.series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.x.map((t, i) =>
                props.series.every((s) => s.values[i] === null || s.values[i] === 0) ? null : (
                  <tr key={t}>
                    <td>{formatTime(t * 1000)}</td>
                    {props.series.map((s) => (
                      <td key={s.label}>{props.format(s.values[i] ?? null)}</td>
                    ))}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
