// Chart.js for the PWS screens only: the vendored UMD build (pwa/static/vendor, from npm like
// PouchDB, never a CDN) and the screens' stylesheet are loaded the first time a PWS screen
// opens, so no other screen pays for them. Every chart is a picture of a table printed next
// to it (the table is the accessible and printable form), so the canvas is aria-hidden
// behind a one-sentence label.

/* global Chart */

import { h } from '../dom.js';
import { onLeave } from '../router.js';
import { formatNumber } from '../i18n.js';

const loaded = {};   // URL -> the promise of its loading

// The guideline's target line crosses the whole graph, not only from the first bar's centre
// to the last one's: drawn over the plot area at the target's height. The dataset of the
// same name stays in the legend (with no points of its own).
const TARGET_LINE = {
  id: 'pwsTargetLine',
  afterDatasetsDraw(chart, args, options) {
    if (options.value === null || options.value === undefined) return;
    const { ctx, chartArea, scales } = chart;
    const y = scales.y.getPixelForValue(options.value);
    ctx.save();
    ctx.strokeStyle = '#1b1f23';
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(chartArea.left, y);
    ctx.lineTo(chartArea.right, y);
    ctx.stroke();
    ctx.restore();
  },
};

function setDefaults() {
  Chart.defaults.font.size = 14;
  Chart.defaults.color = '#1b1f23';
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
}

function load(tag, props) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), props);
    element.addEventListener('load', resolve);
    element.addEventListener('error', () => reject(new Error(`${props.src ?? props.href} not loaded`)));
    document.head.append(element);
  });
}

/** `load` once per URL: the promise is kept, and forgotten when it fails (a later visit tries
 * again). */
function once(key, start) {
  loaded[key] ??= start().catch((error) => {
    delete loaded[key];
    throw error;
  });
  return loaded[key];
}

/** Resolves once the stylesheet `css/<name>` is in the page (relative to this module, so the
 * versioned /app/<version>/ URL the service worker precached). */
export function stylesheet(name) {
  const href = new URL(`../../css/${name}`, import.meta.url).href;
  return once(href, () => load('link', { rel: 'stylesheet', href }));
}

/** Resolves once css/pws.css is in the page, and with `chart` Chart.js too (only the screens
 * that draw one: the graph, the trend, morbidity). */
export function ensurePwsAssets({ chart = false } = {}) {
  const src = new URL('../../vendor/chart.umd.min.js', import.meta.url).href;
  return Promise.all([
    stylesheet('pws.css'),
    chart && !window.Chart ? once(src, () => load('script', { src }).then(setDefaults)) : null,
  ]);
}

const percent = (value) => (value === null || value === undefined ? '' : `${formatNumber(value)} %`);

/** A canvas in its box; the chart is drawn once the box is in the document (Chart.js measures
 * its parent) and destroyed when the screen is left. */
function chartBox(label, config, testid) {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const box = h('div', { class: 'pws-chart', 'data-testid': testid }, canvas);
  let chart = null;
  requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    chart = new Chart(canvas, config);
    box.dataset.ready = 'true';
  });
  onLeave(() => chart?.destroy());
  return box;
}

const BASE = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom', labels: { boxWidth: 14 } } },
};

function percentAxis(max, title) {
  return { beginAtZero: true, max, title: { display: true, text: title }, ticks: { callback: (value) => `${value} %` } };
}

/** (a) Bars per desa against the cumulative target line. */
export function coverageChart(graph, { label, coverage, target, axis, max }) {
  return chartBox(label, {
    type: 'bar',
    data: {
      labels: graph.labels,
      datasets: [
        { type: 'line', label: target, data: [], borderColor: '#1b1f23', borderWidth: 2, borderDash: [6, 4],
          pointRadius: 0, fill: false, order: 0 },
        { type: 'bar', label: coverage, data: graph.coverage, backgroundColor: graph.colours, maxBarThickness: 96, order: 1 },
      ],
    },
    options: {
      ...BASE,
      plugins: {
        // The legend names the target line only: the bars' colours are the statuses, which the
        // screen's own legend and the table say in words (one swatch would name one status).
        legend: { ...BASE.plugins.legend, labels: { ...BASE.plugins.legend.labels, filter: (item) => item.datasetIndex === 0 } },
        pwsTargetLine: { value: graph.target[0] },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${percent(item.raw)}` } },
      },
      scales: { y: percentAxis(max, axis), x: { ticks: { autoSkip: false, maxRotation: 60 } } },
    },
    plugins: [TARGET_LINE],
  }, 'pws-graph');
}

/** (c) A desa's months: cumulative coverage (line), this month's (bars) and the target line.
 * Cumulative numbers and the target start again in January: the lines break there instead
 * of drawing a fall that never happened. */
export function trendChart(series, { label, labels, cumulative, monthly, target, axis, max }) {
  const yearStarts = (ctx) => (series.months[ctx.p1DataIndex]?.endsWith('-01') ? 'transparent' : undefined);
  const segment = { borderColor: yearStarts };
  return chartBox(label, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'line', label: cumulative, data: series.coverageCum, borderColor: '#0b6e69', backgroundColor: '#0b6e69',
          borderWidth: 3, pointRadius: 3, spanGaps: true, segment, order: 0 },
        { type: 'line', label: target, data: series.target, borderColor: '#1b1f23', borderWidth: 2, borderDash: [6, 4],
          pointRadius: 0, segment, order: 1 },
        { type: 'bar', label: monthly, data: series.coverageMonth, backgroundColor: '#b9d8d6', order: 2 },
      ],
    },
    options: { ...BASE, scales: { y: percentAxis(max, axis) } },
  }, 'pws-trend-chart');
}

/** (d) The top causes of new cases as horizontal bars. */
export function morbidityChart(bars, { label, cases }) {
  const box = chartBox(label, {
    type: 'bar',
    data: { labels: bars.labels, datasets: [{ label: cases, data: bars.cases, backgroundColor: '#0b6e69' }] },
    options: {
      ...BASE, indexAxis: 'y', plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } },
    },
  }, 'pws-morbidity-chart');
  // A bar a finger wide per cause, taller for a label of several lines.
  box.style.height = `${80 + bars.labels.reduce((sum, lines) => sum + 22 + 18 * lines.length, 0)}px`;
  return box;
}
