/**
 * The report's charts, drawn with Chart.js 4 (npm `chart.js`, bundled by Vite into the page's
 * own script, so it is served from the jar and no third-party host is asked). Chart.js was taken
 * because it is widely used and actively maintained (MIT, regular releases), tree-shakeable (only
 * the line and bar parts below are bundled), needs no date library (time axes are linear here),
 * sets styles only through the CSSOM (the Content-Security-Policy forbids inline <style>), and
 * draws on a canvas that prints sharply. The canvas is `aria-hidden`: every chart has a real
 * <table> next to it as its text alternative.
 *
 * Readable without colour: lines differ by dash style and width, bars carry fill patterns, and
 * every bar and the peak are labelled directly with their numbers (no legend lookup needed).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, type ChartConfiguration, type ChartType, type Plugin } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend);

/** Dark enough for 3:1 against white (WCAG 1.4.11), and told apart by pattern anyway. */
export const INK = ['#1d4f7a', '#8a3b12', '#2b6a2b', '#5b2a86', '#7a1d4f', '#3d3d3d', '#6b5200'];
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 13 };
const TEXT = '#1a1a1a';

/** Line styles of the viewer chart's series: total solid and thick, hall dashed, stream dotted, other dash-dot. */
export const DASHES: number[][] = [[], [8, 4], [2, 3], [10, 3, 2, 3]];

interface DirectLabelOptions {
  /** Per dataset, per data point: the text drawn next to it ('' for none). */
  labels?: string[][];
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    directLabels?: DirectLabelOptions & { chartType?: TType };
  }
}

/** Draws each point's text next to it: at the end of a horizontal bar, above a line's point. */
const directLabels: Plugin = {
  id: 'directLabels',
  afterDatasetsDraw(chart, _args, options: DirectLabelOptions) {
    const labels = options.labels;
    if (!labels) return;
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = TEXT;
    ctx.font = `600 ${chart.width < 480 ? 11 : FONT.size}px ${FONT.family}`;
    chart.data.datasets.forEach((_ds, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.hidden) return;
      meta.data.forEach((element, i) => {
        const text = labels[d]?.[i];
        if (!text) return;
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        if (meta.type === 'bar') {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(text, x + 6, y);
        } else {
          ctx.textAlign = x > chart.chartArea.right - 120 ? 'right' : 'left';
          ctx.textBaseline = 'bottom';
          ctx.fillText(text, x + (ctx.textAlign === 'right' ? -8 : 8), y - 8);
        }
      });
    });
    ctx.restore();
  },
};
Chart.register(directLabels);

/** A small tile repeated as the fill of a bar: solid, stripes, dots, cross-hatch … by index. */
export function fillPattern(index: number, colour: string): CanvasPattern | string {
  const size = 10;
  const tile = document.createElement('canvas');
  tile.width = size;
  tile.height = size;
  const c = tile.getContext('2d');
  if (!c) return colour;
  c.fillStyle = '#ffffff';
  c.fillRect(0, 0, size, size);
  c.strokeStyle = colour;
  c.fillStyle = colour;
  c.lineWidth = 2;
  switch (index % 6) {
    case 0:
      c.fillRect(0, 0, size, size);
      break;
    case 1: // diagonal stripes
      c.beginPath();
      c.moveTo(0, size);
      c.lineTo(size, 0);
      c.moveTo(-size / 2, size / 2);
      c.lineTo(size / 2, -size / 2);
      c.moveTo(size / 2, size * 1.5);
      c.lineTo(size * 1.5, size / 2);
      c.stroke();
      break;
    case 2: // dots
      c.beginPath();
      c.arc(size / 2, size / 2, 2.5, 0, Math.PI * 2);
      c.fill();
      break;
    case 3: // cross-hatch
      c.beginPath();
      c.moveTo(0, size / 2);
      c.lineTo(size, size / 2);
      c.moveTo(size / 2, 0);
      c.lineTo(size / 2, size);
      c.stroke();
      break;
    case 4: // horizontal lines
      c.fillRect(0, 0, size, 3);
      c.fillRect(0, size / 2, size, 3);
      break;
    default: // checks
      c.fillRect(0, 0, size / 2, size / 2);
      c.fillRect(size / 2, size / 2, size / 2, size / 2);
  }
  return c.createPattern(tile, 'repeat') ?? colour;
}

const charts = new Set<Chart>();

/** Draws on `canvas`; the chart is re-laid-out for printing and removed with {@link destroyCharts}. */
function draw(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  const chart = new Chart(canvas, config);
  charts.add(chart);
  return chart;
}

export function destroyCharts(): void {
  for (const chart of charts) chart.destroy();
  charts.clear();
}

/** The print layout is narrower than the screen: every chart redraws for it (and back after). */
export function resizeCharts(): void {
  for (const chart of charts) chart.resize();
}

const common = {
  animation: false as const,
  responsive: true,
  maintainAspectRatio: false,
  // Print sharply: draw at twice the screen resolution at least.
  devicePixelRatio: Math.max(2, globalThis.devicePixelRatio || 1),
  events: [] as [],
};

export interface LineSeries {
  label: string;
  points: Array<{ x: number; y: number }>;
}

/** Series over time (x: epoch ms) with one marked, directly labelled peak. */
export function timeChart(canvas: HTMLCanvasElement, series: LineSeries[], peak: { x: number; y: number; label: string } | null, formatTime: (ms: number) => string, yTitle: string): Chart {
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = series.map((s, i) => ({
    label: s.label,
    data: s.points,
    borderColor: INK[i % INK.length],
    backgroundColor: INK[i % INK.length],
    borderWidth: i === 0 ? 3 : 2,
    borderDash: DASHES[i % DASHES.length],
    pointRadius: 0,
    stepped: false,
    tension: 0,
  }));
  const labels: string[][] = series.map(() => []);
  if (peak) {
    datasets.push({
      label: peak.label,
      data: [{ x: peak.x, y: peak.y }],
      borderColor: TEXT,
      backgroundColor: '#ffffff',
      pointStyle: 'rectRot',
      pointRadius: 8,
      pointBorderWidth: 3,
      showLine: false,
    });
    labels.push([peak.label]);
  }
  return draw(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      ...common,
      layout: { padding: { top: 8, right: 12 } },
      scales: {
        x: { type: 'linear', ticks: { color: TEXT, font: FONT, maxTicksLimit: 8, callback: (v) => formatTime(Number(v)) }, grid: { color: '#d0d0d0' } },
        y: { type: 'linear', beginAtZero: true, grace: '20%', title: { display: true, text: yTitle, color: TEXT, font: FONT }, ticks: { color: TEXT, font: FONT, precision: 0 }, grid: { color: '#d0d0d0' } },
      },
      plugins: {
        legend: { labels: { color: TEXT, font: FONT, boxWidth: 36, boxHeight: 3, usePointStyle: false } },
        directLabels: { labels },
      },
    },
  } as ChartConfiguration);
}

/** Horizontal bars, one per label, each with its own fill pattern and its number written at its end. */
export function barChart(canvas: HTMLCanvasElement, labels: string[], values: number[], valueLabels: string[], datasetLabel: string, options: { patterned?: boolean } = {}): Chart {
  const patterned = options.patterned ?? true;
  const colours = labels.map((_, i) => (patterned ? INK[i % INK.length] : INK[0]));
  return draw(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: datasetLabel,
          data: values,
          backgroundColor: colours.map((c, i) => (patterned ? fillPattern(i, c) : c)),
          borderColor: colours,
          borderWidth: 2,
          barPercentage: 0.8,
        },
      ],
    },
    options: {
      ...common,
      indexAxis: 'y',
      layout: { padding: (c: { chart: Chart }) => ({ right: narrow(c.chart) ? 76 : 96 }) },
      scales: {
        x: { beginAtZero: true, ticks: { color: TEXT, font: FONT, precision: 0 }, grid: { color: '#d0d0d0' } },
        y: {
          // Narrow screens get shorter labels (the table under the chart has them in full).
          ticks: { color: TEXT, font: (c: { chart: Chart }) => (narrow(c.chart) ? SMALL : FONT), autoSkip: false, callback: function (_v, i) { return shorten(labels[i] ?? '', narrow(this.chart) ? 12 : 40); } },
          grid: { display: false },
        },
      },
      plugins: { legend: { display: false }, directLabels: { labels: [valueLabels] } },
    },
  } as ChartConfiguration);
}

const SMALL = { ...FONT, size: 11 };

/** A phone-sized chart: smaller, shorter axis labels. */
function narrow(chart: Chart): boolean {
  return chart.width < 480;
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
