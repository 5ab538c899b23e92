// The analyses in the browser (SPEC §6, §7): a free account with calls ingested through the real
// API, each view's table compared figure by figure with the API's answer, filters kept in the URL
// (a reload restores them), the explained empty state, the standard analyses offered rather than
// broken, every download checked as a file (PNG size, PDF text with Japanese, PPTX chart, CSV),
// a multi-analysis report, the dashboard refreshing as a call arrives, layouts at laptop and phone
// widths without console errors, and SPEC §19: hours only up to 31 days (the page asks for days
// beyond and says so), a comparison listing every bucket of both ranges, align weekdays, and files
// for people (the PNG's band with the title, period and conditions; the report's conditions,
// the comparison's range B among them).

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

// The requests the page makes that `match` picks, as `keep` makes them, until stop().
function watchRequests(match, keep) {
  const asked = [];
  const onRequest = (r) => {
    const u = new URL(r.url());
    if (match(u)) asked.push(keep(u));
  };
  page.on('request', onRequest);
  return { asked, stop: () => page.off('request', onRequest) };
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

test('minute buckets of one day on the basic views (SPEC §14), on the free plan', async () => {
  const day = jstDate(-10);
  await page.goto(`${server.customerUrl}/analytics/traffic?from=${jstDate(-12)}&to=${day}`);
  await tableRows();
  const minuteDisabled = () => page.$eval('#filters [name="granularity"] option[value="minute"]', (o) => o.disabled);
  assert.equal(await minuteDisabled(), true, 'no minute buckets over several days');
  await page.fill('#filters [name="from"]', day);
  await until('minute buckets offered for one day', async () => !(await minuteDisabled()));
  await page.selectOption('#filters [name="granularity"]', 'minute');
  await page.click('#apply-filters');
  await page.waitForURL((url) => url.searchParams.get('granularity') === 'minute');
  const minutes = await api('traffic', { from: day, to: day, granularity: 'minute' });
  assert.equal(minutes.series.length, 1440);
  assert.ok(minutes.totals.calls > 0, 'the day has calls');
  await until('the minute table', async () => (await tableRows()).length === 1440);
  assertRowsMatch(await tableRows(), minutes.series, ['calls', 'completed', 'incomplete', 'talk_seconds']);

  for (const name of ['incomplete', 'compare']) {
    await page.goto(`${server.customerUrl}/analytics/${name}?from=${day}&to=${day}&granularity=minute`);
    const answer = await api(name, { from: day, to: day, granularity: 'minute' });
    assert.equal(answer.series.length, 1440, name);
    await until(`the ${name} minute table`, async () => (await tableRows()).length === 1440);
    assertRowsMatch(await tableRows(), answer.series, name === 'compare' ? ['calls'] : ['busy', 'incomplete']);
  }
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
  // The form for people in the page's language (SPEC §19): words, and talk time as h:mm:ss too.
  assert.ok(lines[0].startsWith('期間,呼数,'), lines[0]);
  assert.ok(lines[0].includes('通話秒数,通話秒数（時:分:秒）'), lines[0]);
  assert.match(lines[1], /,\d+,\d+:\d\d:\d\d,/);
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

// SPEC §19: a PNG says what it shows — a band with the title, the period and the conditions over
// the chart. The band is what the file has beyond the chart at the chart's proportions; decoded in
// the page (an Image and a canvas), it holds dark pixels (the text), the title's line among them.
test('PNG download: the title, period and conditions in a band over the chart', async () => {
  await page.goto(`${server.customerUrl}/analytics/traffic?from=${jstDate(-12)}&to=${jstDate(0)}&an=${AN1}`);
  await tableRows();
  const png = await download('button[data-download="png"]');
  assert.match(png.name, /\.png$/);
  const bytes = readFileSync(png.file);
  const size = pngSize(bytes);
  const box = await page.locator('#chart').boundingBox();
  assert.ok(size.width >= Math.floor(box.width), `${JSON.stringify(size)} vs ${JSON.stringify(box)}`);
  const chartHeight = Math.round(size.width * box.height / box.width);
  const band = size.height - chartHeight;
  assert.ok(band > 100, `a band of ${band}px over the ${size.width}×${chartHeight} chart (file ${JSON.stringify(size)})`);

  const ink = await page.evaluate(async ({ b64, bandHeight }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    // Pixels at least mid-grey (text), in rows [top, bottom).
    const dark = (top, bottom) => {
      const d = ctx.getImageData(0, top, canvas.width, bottom - top).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 384) n += 1;
      return n;
    };
    return { band: dark(0, bandHeight), title: dark(0, Math.min(bandHeight, 100)), corner: dark(0, 20) };
  }, { b64: bytes.toString('base64'), bandHeight: band });
  assert.ok(ink.band > 2000, `text in the band (${ink.band} dark pixels)`);
  assert.ok(ink.title > 500, `the title at the top (${ink.title} dark pixels)`);
  assert.equal(ink.corner, 0, 'a white margin above the text');
  assert.deepEqual(page.consoleErrors, []);
});

// SPEC §19: the report takes every filter. The ANs, weekdays and buckets chosen once reach each
// chosen analysis that takes them (months for the incomplete reasons; recent traffic, which has no
// month buckets, keeps its own), and each section of the PDF states the conditions it was made with.
test('a report with conditions: each analysis asked with those it takes, each section stating them', async () => {
  const from = jstDate(-12);
  const to = jstDate(0);
  const { asked, stop } = watchRequests((u) => u.pathname.startsWith('/api/analytics/'), (u) => u);
  try {
    await page.goto(server.customerUrl + '/report');
    await page.waitForSelector('#main [name="report-item"]');
    for (const item of await page.$$('#main [name="report-item"]')) await item.uncheck();
    await page.check('[name="report-item"][value="traffic"]');
    await page.check('[name="report-item"][value="incomplete"]');
    await page.fill('#filters [name="from"]', from);
    await page.fill('#filters [name="to"]', to);
    await page.selectOption('#filters [name="granularity"]', 'month');
    await page.check(`#filters [name="an"][value="${AN1}"]`);
    await page.click('#filters .more-filters summary');
    await page.check('#filters [name="weekday"][value="mon"]');
    await page.check('#filters [name="weekday"][value="wed"]');
    asked.length = 0;
    const pdf = await download('#report-pdf');

    const query = (name) => asked.find((u) => u.pathname === `/api/analytics/${name}`)?.searchParams;
    for (const name of ['traffic', 'incomplete']) {
      const q = query(name);
      assert.ok(q, `${name} was asked for (${asked.map(String)})`);
      assert.equal(q.get('from'), from, name);
      assert.equal(q.get('to'), to, name);
      assert.equal(q.get('an'), AN1, name);
      assert.equal(q.get('weekday'), 'mon,wed', name);
    }
    assert.equal(query('traffic').get('granularity'), null, 'recent traffic has no month buckets: its own default');
    assert.equal(query('incomplete').get('granularity'), 'month');
    assert.match(await textOf(page, '#report-status'), /2 件の分析をまとめました/);

    // Each section's conditions line: the AN as the pages write it and the weekdays.
    const flat = pdfText(pdf.file).replace(/\s+/g, '');
    const times = (re) => (flat.match(new RegExp(re, 'g')) ?? []).length;
    assert.ok(times('月[・･·]水') >= 2, `the weekdays in both sections (${times('月[・･·]水')})`);
    assert.ok(times('0120-222-333') >= 2, `the AN in both sections (${times('0120-222-333')})`);
    assert.ok(flat.includes(from) && flat.includes(to), 'the period');
    assert.deepEqual(page.consoleErrors, []);
  } finally {
    stop();
  }
});

// SPEC §19 in the report as on the pages: hours over more than 31 days become days at once, with
// the note beside the control, and come back within 31 days; hours the server refuses all the same
// become days for that analysis, said in the status, and the document is still made.
test('a report by hour: days beyond 31 days, and days after a refusal', async () => {
  const gran = '#filters [name="granularity"]';
  const note = '#filters .gran-note';
  const { asked, stop } = watchRequests((u) => u.pathname === '/api/analytics/traffic', (u) => u.searchParams);
  const refused = (url) => url.pathname === '/api/analytics/traffic' && url.searchParams.get('granularity') === 'hour';
  try {
    await page.goto(server.customerUrl + '/report');
    await page.waitForSelector('#main [name="report-item"]');
    for (const item of await page.$$('#main [name="report-item"]')) await item.uncheck();
    await page.check('[name="report-item"][value="traffic"]');
    await page.fill('#filters [name="from"]', jstDate(-40));
    await page.fill('#filters [name="to"]', jstDate(0));
    await page.selectOption(gran, 'hour');
    assert.equal(await page.inputValue(gran), 'day', '41 days: days at once');
    assert.equal(await page.isVisible(note), true, 'the note is shown');
    assert.match(await textOf(page, note), /時間単位は31日までです。日単位で表示しています。/);
    await page.fill('#filters [name="from"]', jstDate(-30));
    assert.equal(await page.inputValue(gran), 'hour', '31 days: the hours come back');
    assert.equal(await page.isVisible(note), false);

    await page.route(refused, (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_parameter', field: 'granularity', message: 'granularity hour covers at most 31 days; this range has 32: use day' } }),
    }), { times: 1 });
    asked.length = 0;
    const pdf = await download('#report-pdf');
    assert.equal(asked[0]?.get('granularity'), 'hour', 'hours were asked for first');
    // The retry by day follows; another request by hour may still be in flight around it, so the
    // order of the rest is not asserted (seen once on a loaded 2-core run).
    assert.ok(asked.slice(1).some((q) => (q.get('granularity') ?? 'day') === 'day'), 'then days');
    assert.match(await textOf(page, '#report-status'), /「直近3ヶ月トラフィック」は時間単位では31日を超えるため、日単位で作成しました。/);
    assert.equal(await page.locator('#report-status .alert.error').count(), 0);
    assert.match(pdfText(pdf.file), /直近3ヶ月トラフィック/);
    assert.deepEqual(page.consoleErrors, []);
  } finally {
    stop();
    await page.unroute(refused).catch(() => {});
  }
});

// SPEC §19: the report takes the comparison's range B too. Left empty, the comparison is asked
// without it and keeps the server's default (A's length just before A), as on its page; entered,
// with aligned weekdays, the comparison is asked with it and its section states it, while recent
// traffic is asked without. The blocking target is of a standard analysis: a free account's bar
// has none, as it has no lines page.
test('a report with a range B: the comparison asked with it, its section stating it; no blocking target on free', async () => {
  const from = jstDate(-12);
  const to = jstDate(-1);
  // Four weeks before A: aligned by weekday, B stays where it was entered.
  const bFrom = jstDate(-40);
  const bTo = jstDate(-29);
  const { asked, stop } = watchRequests((u) => u.pathname.startsWith('/api/analytics/'),
    (u) => ({ name: u.pathname.slice('/api/analytics/'.length), params: u.searchParams }));
  const query = (name) => asked.find((r) => r.name === name)?.params;
  const flatPdf = (file) => pdfText(file).replace(/\s+/g, '');
  try {
    await page.goto(server.customerUrl + '/report');
    await page.waitForSelector('#main [name="report-item"]');
    assert.equal(await page.locator('[name="report-item"][value="lines"]').count(), 0, 'the lines view is not a choice on free');
    assert.equal(await page.locator('#filters [name="gos"]').count(), 0, 'no blocking target on free');
    assert.equal(await textOf(page, '#filters .b-filters legend'), '比較対象 B（トラフィック比較分析のみ）');
    for (const item of await page.$$('#main [name="report-item"]')) await item.uncheck();
    await page.check('[name="report-item"][value="compare"]');
    await page.check('[name="report-item"][value="traffic"]');
    await page.fill('#filters [name="from"]', from);
    await page.fill('#filters [name="to"]', to);

    // B left empty: nothing of B is sent; the section states the server's default B.
    asked.length = 0;
    const plain = await download('#report-pdf');
    const byDefault = await api('compare', { from, to });
    assert.equal(byDefault.filters.b_to, jstDate(-13), 'the server\'s B ends the day before A');
    let q = query('compare');
    assert.ok(q, `the comparison was asked for (${asked.map((x) => x.name)})`);
    for (const name of ['b_from', 'b_to', 'b_an', 'align']) assert.equal(q.get(name), null, name);
    assert.match(flatPdf(plain.file), new RegExp(`比較対象B:${byDefault.filters.b_from}.${byDefault.filters.b_to}`));

    // B entered, weekdays aligned ("分析ごとの標準" buckets are days for the comparison).
    await page.fill('#filters [name="b_from"]', bFrom);
    await page.fill('#filters [name="b_to"]', bTo);
    assert.equal(await page.isVisible('#filters [name="align"]'), true, 'align offered with each analysis\'s own buckets');
    await page.check('#filters [name="align"]');
    asked.length = 0;
    const pdf = await download('#report-pdf');
    q = query('compare');
    assert.ok(q, `the comparison was asked for (${asked.map((x) => x.name)})`);
    assert.equal(q.get('from'), from);
    assert.equal(q.get('to'), to);
    assert.equal(q.get('b_from'), bFrom);
    assert.equal(q.get('b_to'), bTo);
    assert.equal(q.get('align'), 'weekday');
    const traffic = query('traffic');
    assert.ok(traffic, 'recent traffic was asked for');
    for (const name of ['b_from', 'b_to', 'b_an', 'align']) assert.equal(traffic.get(name), null, `recent traffic takes no ${name}`);
    assert.match(await textOf(page, '#report-status'), /2 件の分析をまとめました/);
    const flat = flatPdf(pdf.file);
    assert.match(flat, new RegExp(`比較対象B:${bFrom}.${bTo}\\(曜日を揃える\\)`), 'the comparison\'s section states B and the alignment');
    assert.equal((flat.match(/比較対象B:/g) ?? []).length, 1, 'only the comparison\'s section names B');

    // By hour with a B of 47 days: only the comparison is made by day (asked so at once, and said);
    // recent traffic keeps its hours over A's 12 days.
    await page.fill('#filters [name="b_from"]', jstDate(-75));
    await page.selectOption('#filters [name="granularity"]', 'hour');
    assert.equal(await page.inputValue('#filters [name="granularity"]'), 'hour', 'B does not take the hours from the others');
    assert.equal(await page.isVisible('#filters .gran-note'), false);
    asked.length = 0;
    await download('#report-pdf');
    assert.equal(query('traffic')?.get('granularity'), 'hour');
    assert.deepEqual(asked.filter((r) => r.name === 'compare').map((r) => r.params.get('granularity')), [null], 'the comparison by day, once');
    assert.match(await textOf(page, '#report-status'), /「トラフィック比較分析」は時間単位では31日を超えるため、日単位で作成しました。/);
    assert.deepEqual(page.consoleErrors, []);
  } finally {
    stop();
  }
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

// SPEC §19: hour buckets cover at most 31 days. The page asks for days instead (and says so beside
// the control) rather than being refused, gives the hours back within 31 days, counts the days
// as the server does (31 fits, 32 does not), falls back to days on a refusal all the same, and by
// hour the default range is the server's 31 days, not the 3 months shown for days.
test('hour buckets: over 31 days the page asks for days and says so; hours again within 31 days', async () => {
  const gran = '#filters [name="granularity"]';
  const note = '#filters .gran-note';
  const { asked, stop } = watchRequests((u) => u.pathname === '/api/analytics/traffic', (u) => u.searchParams);
  const refused = (url) => url.pathname === '/api/analytics/traffic' && url.searchParams.get('granularity') === 'hour';
  try {
    const from = jstDate(-40);
    const to = jstDate(-1);
    await page.goto(`${server.customerUrl}/analytics/traffic?from=${from}&to=${to}`);
    await tableRows();
    assert.equal(await page.isVisible(note), false, 'no note with days');
    await page.selectOption(gran, 'hour');
    assert.equal(await page.inputValue(gran), 'day', 'the control switches to days at once');
    assert.equal(await page.isVisible(note), true, 'the note is shown');
    assert.match(await textOf(page, note), /時間単位は31日までです。日単位で表示しています。/);
    asked.length = 0;
    await page.click('#apply-filters');
    await until('the request', () => asked.length > 0);
    // Days are the default granularity: sent as granularity=day or as none, never hour.
    assert.equal(asked[0].get('granularity') ?? 'day', 'day', `asked ${asked[0]}`);
    assert.equal(asked[0].get('from'), from);
    await until('40 days in the table', async () => (await tableRows()).length === 40);
    assert.ok((await tableRows()).every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.t)), 'day buckets');
    assert.equal(await page.locator('.alert.error').count(), 0, 'no error');
    assert.equal(await page.isVisible(note), true);

    // 32 days are still too many; 31 give the hours back (the customer's choice), and they are asked for.
    await page.fill('#filters [name="from"]', jstDate(-32));
    assert.equal(await page.inputValue(gran), 'day', '32 days: days');
    assert.equal(await page.isVisible(note), true);
    await page.fill('#filters [name="from"]', jstDate(-31));
    assert.equal(await page.inputValue(gran), 'hour', '31 days: the hours come back');
    assert.equal(await page.isVisible(note), false, 'the note goes');
    asked.length = 0;
    await page.click('#apply-filters');
    await until('the hourly request', () => asked.length > 0);
    assert.equal(asked[0].get('granularity'), 'hour');
    await page.waitForURL((url) => url.searchParams.get('granularity') === 'hour');
    await until('31 days of hours in the table', async () => (await tableRows()).length === 31 * 24);
    assert.match((await tableRows())[0].t, /^\d{4}-\d{2}-\d{2}T\d{2}$/);

    // A refusal all the same (a range the server counts otherwise): days and the note, no error.
    await page.route(refused, (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid_parameter', field: 'granularity', message: 'granularity hour covers at most 31 days; this range has 32: use day' } }),
    }), { times: 1 });
    asked.length = 0;
    await page.click('#apply-filters');
    await until('days asked for after the refusal', () => asked.some((q) => (q.get('granularity') ?? 'day') === 'day'));
    assert.equal(asked[0].get('granularity'), 'hour', 'hours were asked for first');
    await until('31 days in the table', async () => (await tableRows()).length === 31);
    assert.equal(await page.inputValue(gran), 'day');
    assert.equal(await page.isVisible(note), true);
    assert.equal(await page.locator('.alert.error').count(), 0, 'no error shown for the refusal');
    await page.unroute(refused);

    // The default range: by hour the server's 31 days ending today (no dates sent), not the
    // 3 months the page shows for days.
    await page.goto(`${server.customerUrl}/analytics/traffic`);
    await until('the default range shown', async () => (await page.inputValue('#filters [name="from"]')) !== '');
    await page.selectOption(gran, 'hour');
    assert.equal(await page.inputValue(gran), 'hour', 'hours with the default range');
    assert.equal(await page.isVisible(note), false);
    asked.length = 0;
    await page.click('#apply-filters');
    await until('the hourly request', () => asked.length > 0);
    assert.equal(asked[0].get('granularity'), 'hour');
    assert.equal(asked[0].get('from'), null, 'no dates: the server\'s default for hours');
    await until('the 31 days shown', async () => (await page.inputValue('#filters [name="from"]')) === jstDate(-30));
    assert.equal(await page.inputValue('#filters [name="to"]'), jstDate(0));
    assert.equal(await page.locator('.alert.error').count(), 0);
    assert.deepEqual(page.consoleErrors, []);
  } finally {
    stop();
    await page.unroute(refused).catch(() => {});
  }
});

const pad2 = (n) => String(n).padStart(2, '0');
// The latest whole month before the current one that has `days` days.
function wholeMonth(days) {
  let [y, m] = jstDate(0).split('-').map(Number);
  for (;;) {
    m -= 1;
    if (m === 0) { m = 12; y -= 1; }
    if (new Date(Date.UTC(y, m, 0)).getUTCDate() === days) return { from: `${y}-${pad2(m)}-01`, to: `${y}-${pad2(m)}-${days}` };
  }
}

// The compare table's rows: the two labels, and A's and B's calls (null without data-value).
const compareRows = (p = page) => p.$$eval('#data-table tbody tr', (trs) => trs.map((tr) => {
  const cell = (key) => tr.querySelector(`td[data-key="${key}"]`);
  const value = (key) => { const v = cell(key)?.getAttribute('data-value'); return v === null || v === undefined ? null : Number(v); };
  return { t: tr.getAttribute('data-t'), label: tr.cells[0].textContent, labelB: tr.cells[1].textContent,
    a: value('calls_a'), aText: cell('calls_a')?.textContent ?? null, b: value('calls_b') };
}));

test('a comparison with a longer range B: a row for every day of B, the A side empty, totals the sums of the rows', async () => {
  const A = wholeMonth(30);
  const B = wholeMonth(31);
  await server.ingest(calls(B.to, AN2, 5));          // figures on the row that B alone has
  await page.goto(server.customerUrl + '/analytics/compare');
  await tableRows();
  await page.fill('#filters [name="from"]', A.from);
  await page.fill('#filters [name="to"]', A.to);
  await page.fill('#filters [name="b_from"]', B.from);
  await page.fill('#filters [name="b_to"]', B.to);
  await page.click('#apply-filters');
  await page.waitForURL((url) => url.searchParams.get('b_to') === B.to && url.searchParams.get('to') === A.to);
  const answer = await api('compare', { from: A.from, to: A.to, b_from: B.from, b_to: B.to });
  assert.equal(answer.series.length, 31);
  await until('one row per day of B', async () => (await compareRows()).length === 31);
  const rows = await compareRows();
  assert.deepEqual(rows.slice(0, 30).map((r) => r.t), answer.series.slice(0, 30).map((b) => b.t), 'A\'s 30 days first');
  const last = rows[30];
  assert.equal(last.label, '—', 'A has no 31st day: no A label');
  assert.equal(last.labelB, B.to);
  assert.equal(last.a, null, 'no A figure on the last row');
  assert.equal(last.aText, '—');
  assert.equal(last.b, answer.series[30].calls.b);
  assert.ok(last.b >= 5, `B's last day has its calls (${last.b})`);
  // The totals row is the sum of the rows on each side (and the server's totals).
  const totals = await page.$$eval('#totals-row td[data-key]', (tds) =>
    Object.fromEntries(tds.map((td) => [td.getAttribute('data-key'), td.getAttribute('data-value')])));
  const sum = (side) => rows.reduce((n, r) => n + (r[side] ?? 0), 0);
  assert.equal(Number(totals.calls_a), sum('a'));
  assert.equal(Number(totals.calls_b), sum('b'));
  assert.equal(Number(totals.calls_a), answer.totals.calls.a);
  assert.equal(Number(totals.calls_b), answer.totals.calls.b);
  assert.ok(await page.locator('#chart canvas').count() > 0, 'a chart is drawn');
  assert.deepEqual(page.consoleErrors, []);
});

test('align weekdays: offered with day buckets, sent as align=weekday, B shown from A\'s weekday', async () => {
  const from = jstDate(-12);
  const to = jstDate(-3);                            // 10 days: B by date starts 3 weekdays off
  const weekday = (d) => new Date(`${d}T00:00:00Z`).getUTCDay();
  await page.goto(`${server.customerUrl}/analytics/compare?from=${from}&to=${to}`);
  await tableRows();
  const align = '#filters [name="align"]';
  const gran = '#filters [name="granularity"]';
  assert.equal(await page.isVisible(align), true, 'offered with day buckets');
  await page.selectOption(gran, 'hour');
  assert.equal(await page.isVisible(align), false, 'not offered by hour');
  await page.selectOption(gran, 'day');
  await page.check(align);
  const [request] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === '/api/analytics/compare'),
    page.click('#apply-filters'),
  ]);
  assert.equal(new URL(request.url()).searchParams.get('align'), 'weekday');
  await page.waitForURL((url) => url.searchParams.get('align') === 'weekday');
  const byDate = await api('compare', { from, to });
  const aligned = await api('compare', { from, to, align: 'weekday' });
  assert.notEqual(weekday(byDate.filters.b_from), weekday(from), 'by date, B starts on another weekday');
  // The page shows B from the aligned start: the first row's B day and the applied filters.
  await until('B from the aligned start', async () =>
    (await page.textContent('#data-table tbody tr:first-child td:nth-child(2)')) === aligned.filters.b_from);
  const firstA = await page.getAttribute('#data-table tbody tr:first-child', 'data-t');
  assert.equal(firstA, from);
  assert.equal(weekday(aligned.filters.b_from), weekday(firstA), 'B starts on A\'s weekday');
  const applied = await textOf(page, '#applied-filters');
  assert.ok(applied.includes(`${aligned.filters.b_from}〜${aligned.filters.b_to}`), applied);
  assert.match(applied, /曜日を揃える/);
  // A bookmark keeps it.
  await page.goto(page.url());
  await tableRows();
  assert.equal(await page.isChecked(align), true);
  assert.deepEqual(page.consoleErrors, []);
});
