// Chart.js for the PWS screens only: the vendored UMD build (pwa/static/vendor, from npm like
// PouchDB, never a CDN) and the screens' stylesheet are loaded the first time a PWS screen
// opens, so no other screen pays for them. Every chart is a picture of a table printed next
// to it (the table is the accessible and printable form), so the canvas is aria-hidden
// behind a one-sentence label.

/* global Chart */

import { h } from '../dom.js';
import { onLeave } from '../router.js';
import { formatNumber } from '../i18n.js';

let assets = null;

function load(tag, props) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), props);
    element.addEventListener('load', resolve);
    element.addEventListener('error', () => reject(new Error(`${props.src ?? props.href} not loaded`)));
    document.head.append(element);
  });
}

/** Resolves once Chart.js and css/pws.css are in the page (relative to this module, so the
 * versioned /app/<version>/ URLs the service worker precached). */
export function ensurePwsAssets() {
  assets ??= Promise.all([
    window.Chart ? null : load('script', { src: new URL('../../vendor/chart.umd.min.js', import.meta.url).href }),
    load('link', { rel: 'stylesheet', href: new URL('../../css/pws.css', import.meta.url).href }),
  ]).catch((error) => {
    assets = null;   // a later visit tries again
    throw error;
  });
  return assets;
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
        { type: 'line', label: target, data: graph.target, borderColor: '#1b1f23', borderWidth: 2,
          borderDash: [6, 4], pointRadius: 0, fill: false, order: 0 },
        { type: 'bar', label: coverage, data: graph.coverage, backgroundColor: graph.colours, order: 1 },
      ],
    },
    options: {
      ...BASE,
      plugins: { ...BASE.plugins, tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${percent(item.raw)}` } } },
      scales: { y: percentAxis(max, axis), x: { ticks: { autoSkip: false, maxRotation: 60 } } },
    },
  }, 'pws-graph');
}

/** (c) A desa's months: cumulative coverage (line), this month's (bars) and the target line. */
export function trendChart(series, { label, labels, cumulative, monthly, target, axis, max }) {
  return chartBox(label, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'line', label: cumulative, data: series.coverageCum, borderColor: '#0b6e69', backgroundColor: '#0b6e69',
          borderWidth: 3, pointRadius: 3, spanGaps: true, order: 0 },
        { type: 'line', label: target, data: series.target, borderColor: '#1b1f23', borderWidth: 2, borderDash: [6, 4],
          pointRadius: 0, order: 1 },
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
  box.style.height = `${80 + 34 * bars.labels.length}px`;   // a bar a finger wide per cause
  return box;
}
