// The analyses in the browser (SPEC §6, §7): a free account with calls ingested through the real
// API, each view's table compared figure by figure with the API's answer, filters kept in the URL
// (a reload restores them), the explained empty state, the standard analyses offered rather than
// broken, every download checked as a file (PNG size, PDF text with Japanese, PPTX chart, CSV),
// a multi-analysis report, the dashboard refreshing as a call arrives, and layouts at laptop
// and phone widths without console errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Server, launchBrowser, newPage, opidEntry, loginThroughPages, jstDate, jstStart, pngSize, pdfText, zipEntries,
  zipEntry, textOf, until } from './harness.mjs';

const shop = opidEntry('SHOP0002');
const [AN1, AN2] = [shop.ans[0].an, shop.ans[1].an];
const RESULTS = ['completed', 'completed', 'busy', 'completed', 'no_answer', 'abandoned', 'completed', 'congestion'];

let server;
let browser;
let account;
let page;
let seq = 0;

// n calls on a JST date from `hour` on, spread over eight hours (or all at hour:00–hour:59 when
// `spread` is false, so that today's calls are never in the future).
function calls(date, an, n, hour = 10, spread = true) {
  return Array.from({ length: n }, (_, i) => {
    const result = RESULTS[(seq + i) % RESULTS.length];
    seq += 1;
    return { call_id: `e2e-${seq}`, start: jstStart(date, spread ? hour + (i % 8) : hour, i % 60), an, dn: result === 'completed' ? shop.ans[0].dns[0] : '',
      caller: `0312345${String(seq % 1000).padStart(3, '0')}`, duration_s: result === 'completed' ? 30 + ((seq * 37) % 400) : 0, result };
  });
}

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-120) });
  await server.ingest([
    ...calls(jstDate(-70), AN1, 9), ...calls(jstDate(-40), AN2, 5), ...calls(jstDate(-10), AN1, 12),
    ...calls(jstDate(-10), AN2, 4, 14), ...calls(jstDate(-3), AN1, 7), ...calls(jstDate(-1), AN2, 6),
    ...calls(jstDate(0), AN1, 3, 0, false),
  ]);
  page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const api = async (name, query = {}) => {
  const r = await server.analytics(account.id, name, query);
  assert.equal(r.status, 200, r.text);
  return r.body;
};

// The table's rows by bucket label: every numeric cell's raw value.
async function tableRows(p = page) {
  await p.waitForSelector('#data-table tbody tr[data-t]');
  return p.$$eval('#data-table tbody tr[data-t]', (rows) => rows.map((tr) => ({
    t: tr.getAttribute('data-t'),
    values: [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.getAttribute('data-value'))),
  })));
}

function assertRowsMatch(rows, series, figures) {
  assert.equal(rows.length, series.length, 'one row per bucket');
  for (const bucket of series) {
    const row = rows.find((r) => r.t === bucket.t);
    assert.ok(row, `a row for ${bucket.t}`);
    for (const f of figures) {
      const want = typeof bucket[f] === 'object' && bucket[f] !== null ? bucket[f].a : bucket[f];
      assert.ok(row.values.includes(want), `${bucket.t} ${f}=${want} in ${row.values}`);
    }
  }
}

async function download(selector, p = page) {
  const [dl] = await Promise.all([p.waitForEvent('download', { timeout: 60000 }), p.click(selector)]);
  const file = join(server.tmp, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return { file, name: dl.suggestedFilename() };
}

test('recent traffic: the table holds the API figures, and filters live in the URL', async () => {
  await page.goto(server.customerUrl + '/analytics/traffic');
  const answer = await api('traffic');
  assertRowsMatch(await tableRows(), answer.series, ['calls', 'completed', 'incomplete', 'talk_seconds']);
  const totals = await page.$$eval('#totals-row td[data-value]', (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  assert.ok(totals.includes(answer.totals.calls), `totals ${totals} hold ${answer.totals.calls}`);
  assert.ok(await page.locator('#chart canvas').count() > 0, 'a chart is drawn');

  // One AN and a ten-day range: the URL keeps them and the table follows the API.
  const from = jstDate(-12);
  const to = jstDate(-1);
  for (const box of await page.$$('#filters [name="an"]')) {
    if ((await box.getAttribute('value')) === AN1) await box.check(); else await box.uncheck();
  }
  await page.fill('#filters [name="from"]', from);
  await page.fill('#filters [name="to"]', to);
  await page.click('#apply-filters');
  await page.waitForURL((url) => url.searchParams.get('from') === from && url.searchParams.get('to') === to);
  const url = new URL(page.url());
  assert.ok(url.searchParams.getAll('an').join(',').includes(AN1) && !url.search.includes(AN2), url.search);
  const filtered = await api('traffic', { from, to, an: AN1 });
  await until('the filtered table', async () => (await tableRows()).length === filtered.series.length);
  assertRowsMatch(await tableRows(), filtered.series, ['calls', 'completed', 'incomplete', 'talk_seconds']);

  // A bookmark of that URL shows the same view.
  await page.goto(url.toString());
  assert.equal(await page.inputValue('#filters [name="from"]'), from);
  assert.equal(await page.isChecked(`#filters [name="an"][value="${AN1}"]`), true);
  assertRowsMatch(await tableRows(), filtered.series, ['calls', 'completed']);
  assert.deepEqual(page.consoleErrors, []);
});

test('an empty range explains itself; a bad value names the field', async () => {
  await page.goto(`${server.customerUrl}/analytics/traffic?from=${jstDate(-119)}&to=${jstDate(-100)}`);
  await page.waitForSelector('#empty-state');
  assert.ok((await textOf(page, '#empty-state')).length > 10);
  await page.goto(`${server.customerUrl}/analytics/traffic?hours=25-3`);
  await page.waitForSelector('.alert.error');
  assert.match(await textOf(page, '.alert.error'), /hours|時間帯/);
  assert.deepEqual(page.consoleErrors, []);
});

test('annual, comparison and incomplete reasons match the API', async () => {
  await page.goto(server.customerUrl + '/analytics/annual');
  const annual = await api('traffic', { granularity: 'month' });
  assertRowsMatch(await tableRows(), annual.series, ['calls', 'completed', 'talk_seconds']);

  const from = jstDate(-13);
  const to = jstDate(-7);
  await page.goto(`${server.customerUrl}/analytics/compare?from=${from}&to=${to}`);
  const compare = await api('compare', { from, to });
  const rows = await tableRows();
  assert.equal(rows.length, compare.series.length);
  const tenDaysAgo = compare.series.find((b) => b.t === jstDate(-10));
  const row = rows.find((r) => r.t === tenDaysAgo.t);
  assert.ok(row.values.includes(tenDaysAgo.calls.a) && row.values.includes(tenDaysAgo.calls.diff), `${row.values}`);

  await page.goto(`${server.customerUrl}/analytics/incomplete?from=${jstDate(-80)}&to=${jstDate(0)}`);
  const incomplete = await api('incomplete', { from: jstDate(-80), to: jstDate(0) });
  assertRowsMatch(await tableRows(), incomplete.series, ['busy', 'no_answer', 'abandoned', 'congestion', 'incomplete']);
  assert.deepEqual(page.consoleErrors, []);
});

test('a free account is offered the standard analyses, not broken pages', async () => {
  for (const name of ['origin', 'destination', 'origin-destination', 'numbers', 'calls-minutes', 'callers', 'lines', 'distribution']) {
    await page.goto(`${server.customerUrl}/analytics/${name}`);
    await page.waitForSelector('#plan-offer');
    assert.ok(await page.locator('#plan-offer a[href^="/plan"]').count() > 0, `${name}: a way to upgrade`);
    assert.ok(await page.locator(`nav a[href="/analytics/${name}"] .badge`).count() > 0, `${name}: marked standard in the menu`);
  }
  await page.click('#plan-offer a[href^="/plan"]');
  await page.waitForSelector('#plan-required');
  assert.deepEqual(page.consoleErrors, []);
});

test('downloads: PNG, PDF with Japanese text, PPTX with a chart, CSV', async () => {
  const from = jstDate(-12);
  const to = jstDate(0);
  await page.goto(`${server.customerUrl}/analytics/traffic?from=${from}&to=${to}`);
  await tableRows();
  const answer = await api('traffic', { from, to });

  const png = await download('button[data-download="png"]');
  const size = pngSize(readFileSync(png.file));
  const box = await page.locator('#chart').boundingBox();
  assert.ok(size.width >= Math.floor(box.width) && size.height >= Math.floor(box.height), `${JSON.stringify(size)} vs ${JSON.stringify(box)}`);

  const pdf = await download('button[data-download="pdf"]');
  const text = pdfText(pdf.file);
  assert.match(text, /トラフィック/, 'the Japanese title can be copied out of the PDF');
  assert.ok(text.includes(account.id), 'the account ID');
  assert.ok(text.includes(from) && text.includes(to), 'the filters applied');
  assert.ok(text.includes(answer.totals.calls.toLocaleString('en-US')), `the total ${answer.totals.calls}`);

  const pptx = await download('button[data-download="pptx"]');
  const entries = zipEntries(pptx.file);
  assert.ok(entries.some((e) => /^ppt\/charts\/chart\d*\.xml$/.test(e)), `a native chart in ${entries}`);
  const slides = entries.filter((e) => /^ppt\/slides\/slide\d+\.xml$/.test(e));
  assert.ok(slides.length >= 1);
  assert.ok(slides.some((s) => zipEntry(pptx.file, s).includes('トラフィック')), 'a slide with the title');

  const csv = await download('button[data-download="csv"]');
  const body = readFileSync(csv.file, 'utf8');
  assert.equal(body.charCodeAt(0), 0xfeff, 'UTF-8 with a byte-order mark');
  const lines = body.slice(1).split('\r\n').filter(Boolean);
  assert.ok(lines[0].startsWith('t,'), lines[0]);
  assert.equal(lines.length, answer.series.length + 1);
  assert.ok(csv.name.endsWith('.csv'));
  assert.deepEqual(page.consoleErrors, []);
});

test('a report of several analyses in one PDF and one PPTX', async () => {
  await page.goto(server.customerUrl + '/report');
  await page.waitForSelector('#main [name="report-item"]');
  const items = await page.$$('#main [name="report-item"]');
  assert.ok(items.length >= 4, 'the basic analyses can be chosen');
  for (const item of items) await item.uncheck();
  await page.check('[name="report-item"][value="traffic"]');
  await page.check('[name="report-item"][value="incomplete"]');
  const pdf = await download('#report-pdf');
  const text = pdfText(pdf.file);
  assert.match(text, /直近3ヶ月トラフィック/);
  assert.match(text, /不完了理由/);
  const pptx = await download('#report-pptx');
  const slides = zipEntries(pptx.file).filter((e) => /^ppt\/slides\/slide\d+\.xml$/.test(e));
  assert.ok(slides.length >= 2, `${slides.length} slides`);
  assert.deepEqual(page.consoleErrors, []);
});

test('the dashboard shows today and this month, and a new call within seconds', async () => {
  await page.goto(server.customerUrl + '/dashboard');
  await page.waitForSelector('#stat-today-calls[data-value]');
  const today = jstDate(0);
  const monthStart = `${today.slice(0, 8)}01`;
  const day = await api('traffic', { from: today, to: today });
  const month = await api('traffic', { from: monthStart, to: today });
  assert.equal(Number(await page.getAttribute('#stat-today-calls', 'data-value')), day.totals.calls);
  assert.equal(Number(await page.getAttribute('#stat-month-calls', 'data-value')), month.totals.calls);

  await server.ingest(calls(today, AN2, 1, 0, false));
  await until('the new call on the dashboard', async () =>
    Number(await page.getAttribute('#stat-today-calls', 'data-value')) === day.totals.calls + 1, 15000, 250);
  assert.ok((await textOf(page, '#last-updated')).length > 0);
  assert.deepEqual(page.consoleErrors, []);
});

test('the dashboard stops refreshing while nobody uses it, so a forgotten tab lets the session end', async () => {
  const idle = await newPage(browser);
  await idle.context().addCookies(await page.context().cookies());   // the same session (one per ID)
  await idle.clock.install();
  await idle.goto(server.customerUrl + '/dashboard');
  await idle.waitForSelector('#dashboard-chart canvas');            // the first refresh is complete
  let asked = 0;
  idle.on('request', (r) => { if (r.url().includes('/api/analytics/')) asked += 1; });
  // Fake time runs at once; each step leaves the real requests it started time to be answered.
  const pass = async (ms) => { await idle.clock.runFor(ms); await idle.waitForTimeout(300); };
  for (let i = 0; i < 6; i += 1) await pass(10_000);
  assert.ok(asked >= 9, `refreshes while in use (${asked} requests)`);
  for (let i = 0; i < 25; i += 1) await pass(60_000);                // 1 + 25 = 26 minutes without a key or a click
  asked = 0;
  for (let i = 0; i < 5; i += 1) await pass(60_000);
  assert.equal(asked, 0, 'no refresh while the user is away');
  assert.match(await textOf(idle, '#auto-refresh'), /自動更新を止めています/);
  await idle.keyboard.press('Shift');
  await until('a refresh after a key press', async () => { await idle.clock.runFor(1000); return asked > 0; });
  assert.deepEqual(idle.consoleErrors, []);
  await idle.context().close();
});

test('readable at 1280×720 and at a phone width; every field has a label', async () => {
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    for (const path of ['/dashboard', '/analytics/traffic', '/settings']) {
      await page.goto(server.customerUrl + path);
      await page.waitForSelector('main h1');
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `${path} at ${viewport.width}px scrolls sideways by ${overflow}px`);
      const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (els) => els
        .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
        .map((el) => el.name || el.id));
      assert.deepEqual(unlabelled, [], `${path}: fields without a label`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  assert.deepEqual(page.consoleErrors, []);
});
