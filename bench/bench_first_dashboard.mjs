// How fast the first dashboard shows on loopback (issue 6: under 1 s). The real server with a free
// account and four months of generated calls, headless Chromium. Each run opens /dashboard and
// stops the clock when this month's figure is on screen (#stat-month-calls has its value):
// - cold: a new browser context (empty cache) with the session cookie, the whole bundle fetched;
// - warm: the same context again (hashed assets come from the cache, as on a second visit).
// Prints p50/p95/max of each, the same for the chart drawn (ECharts loads after the figures), and
// the bytes transferred on a cold load.
// Usage: node bench/bench_first_dashboard.mjs [runs=20]

import { Server, launchBrowser, newPage, loginThroughPages, generateCalls, jstDate } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 20);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

const server = await new Server().start();
const browser = await launchBrowser();
try {
  const account = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-120) });
  generateCalls(server, { opid: 'SHOP0002', from: jstDate(-120) });
  const login = await newPage(browser);
  await loginThroughPages(login, server, account.id);
  const cookies = await login.context().cookies();

  const charts = [];
  const timeOnce = async (page) => {
    const t0 = performance.now();
    await page.goto(server.customerUrl + '/dashboard', { waitUntil: 'commit' });
    await page.waitForSelector('#stat-month-calls[data-value]', { timeout: 20000 });
    const figures = performance.now() - t0;
    await page.waitForSelector('#dashboard-chart canvas', { timeout: 20000 });
    charts.push(performance.now() - t0);
    return figures;
  };
  const cold = [];
  let coldBytes = 0;
  for (let i = 0; i < runs; i += 1) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    await context.addCookies(cookies);
    const page = await context.newPage();
    let bytes = 0;
    page.on('response', async (r) => { const h = await r.allHeaders(); bytes += Number(h['content-length'] ?? 0); });
    cold.push(await timeOnce(page));
    coldBytes = bytes;
    await context.close();
  }
  const coldCharts = charts.splice(0);
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await timeOnce(page);
  const warm = [];
  charts.length = 0;   // the warm-up run
  for (let i = 0; i < runs; i += 1) warm.push(await timeOnce(page));
  const line = (name, xs) => `${name}: p50 ${pct(xs, 0.5).toFixed(0)} ms, p95 ${pct(xs, 0.95).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length} runs)`;
  console.log(line('first dashboard, cold cache', cold));
  console.log(line('first dashboard, warm cache', warm));
  console.log(line('chart drawn, cold cache', coldCharts));
  console.log(line('chart drawn, warm cache', charts));
  console.log(`bytes on a cold load (compressed, as sent): ${coldBytes}`);
} finally {
  await browser.close();
  await server.stop();
}
