// The eight detailed analyses in the browser (SPEC §7 detailed 01–08, §14 "Answers", §15): a
// standard account with calls of known prefectures, callers, DNs and talk times ingested through
// the real API. Each view draws its chart, its table(s) hold the API's answer for the same
// filters figure by figure, and its CSV download is the server's (BOM, header row). The lines
// view's blocking target asks the server again and changes the recommended lines; the minute
// buckets are offered for one day only; the numbers table sorts by a click on a heading; the DN
// filter narrows a view (a basic one too) and a DN of another account is named; the report asks
// the lines view with the target chosen in its bar; a free account is offered the standard plan
// instead.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Server, launchBrowser, newPage, opidEntry, loginThroughPages, jstDate, jstStart, pngSize, pdfText, zipEntries,
  until } from './harness.mjs';

const demo = opidEntry('DEMO0001');
const [AN1, AN2, AN3] = demo.ans.map((a) => a.an);
const [DN1] = demo.ans[0].dns;            // 03… Tokyo
const [DN2] = demo.ans[1].dns;            // 092… Fukuoka
const [DN3] = demo.ans[2].dns;            // 022… Miyagi
const BUSY_DAY = jstDate(-2);
const OTHER_DAY = jstDate(-10);
const THIRD_DAY = jstDate(-3);
const VIEWS = ['origin', 'destination', 'origin-destination', 'numbers', 'calls-minutes', 'callers', 'lines', 'distribution'];

let server;
let browser;
let account;
let page;
let seq = 0;

const call = ({ day, hour, minute = 0, an, dn, caller = '', origin, dest, duration = 0, result = 'completed' }) => ({
  call_id: `det-${++seq}`, start: jstStart(day, hour, minute), an, dn, caller, origin_pref: origin, dest_pref: dest,
  duration_s: result === 'completed' ? duration : 0, result,
});

// The busy hour: 12 completed calls of 15 minutes starting 10:00–10:55 on BUSY_DAY, 3 erlangs
// offered (so the recommended lines move with the target: 1 % → 8, 5 % → 7, 0.1 % → 10).
function busyHour() {
  const origins = ['13', '13', '13', '13', '13', '13', '27', '27', '27', '27', '01', '01'];
  return origins.map((origin, i) => call({ day: BUSY_DAY, hour: 10, minute: i * 5, an: AN1, dn: DN1, caller: `0901000${String(i).padStart(4, '0')}`,
    origin, dest: '13', duration: 900 }));
}

// A quieter day: a caller who calls four times, one who calls twice, three withheld calls, and
// some calls that did not complete.
function quietDay() {
  const rows = [];
  const results = ['completed', 'busy', 'completed', 'no_answer', 'completed', 'abandoned', 'completed', 'completed'];
  for (let i = 0; i < 16; i += 1) {
    const caller = i < 4 ? '0312340001' : i < 6 ? '0312340002' : i < 9 ? '' : `06123400${String(i).padStart(2, '0')}`;
    const result = results[i % results.length];
    rows.push(call({ day: OTHER_DAY, hour: 9 + (i % 8), minute: (i * 7) % 60, an: AN2, dn: DN2, caller, origin: ['40', '13', '00', '27'][i % 4],
      dest: '40', duration: 60 + i * 15, result }));
  }
  return rows;
}

function thirdDay() {
  return Array.from({ length: 6 }, (_, i) => call({ day: THIRD_DAY, hour: 20 + (i % 3), minute: i, an: AN3, dn: DN3,
    caller: `0224000${String(i % 4).padStart(3, '0')}`, origin: '04', dest: '04', duration: 1900 + i, result: i === 5 ? 'busy' : 'completed' }));
}

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'DEMO0001', plan: 'standard', registered: jstDate(-20) });
  await server.ingest([...busyHour(), ...quietDay(), ...thirdDay()]);
  page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const api = async (name, query = {}) => {
  const r = await server.analytics(account.id, name, query);
  assert.equal(r.status, 200, `${name}: ${r.text}`);
  return r.body;
};

// A table's rows by key (tr[data-t]): every numeric cell's raw value.
async function rowsOf(selector = '#data-table') {
  await page.waitForSelector(`${selector} tbody tr[data-t]`);
  return page.$$eval(`${selector} tbody tr[data-t]`, (rows) => rows.map((tr) => ({
    t: tr.getAttribute('data-t'),
    values: [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.getAttribute('data-value'))),
  })));
}

// Every item of the API's list has its row, holding each figure named; no other rows.
function assertRows(rows, items, key, figures) {
  assert.equal(rows.length, items.length, `one row per item (${rows.length} vs ${items.length})`);
  for (const item of items) {
    const row = rows.find((r) => r.t === key(item));
    assert.ok(row, `a row for ${key(item)}`);
    for (const f of figures) {
      if (item[f] === null) continue;
      assert.ok(row.values.some((v) => Math.abs(v - item[f]) < 1e-9), `${key(item)} ${f}=${item[f]} in ${row.values}`);
    }
  }
}

async function download(selector) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click(selector)]);
  const file = join(server.tmp, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return { file, name: dl.suggestedFilename() };
}

// Opens a view and waits until its answer is on screen (a chart, no empty state, no error).
async function open(name, query = '') {
  await page.goto(`${server.customerUrl}/analytics/${name}${query}`);
  await page.waitForSelector('#data-table tbody tr[data-t]');
  await page.waitForSelector('#chart canvas');
  assert.equal(await page.locator('#empty-state.hidden').count(), 1, `${name}: not empty`);
  assert.equal(await page.locator('.alert.error').count(), 0, `${name}: no error`);
}

// The CSV button gives the server's CSV for the same filters, in the form for people in the page's
// language (SPEC §19): BOM, then its header row of words.
async function checkCsv(name, query, firstColumn) {
  const csv = await download('button[data-download="csv"]');
  const body = readFileSync(csv.file, 'utf8');
  assert.equal(body.charCodeAt(0), 0xfeff, `${name}: UTF-8 with a byte-order mark`);
  const lines = body.slice(1).split('\r\n').filter(Boolean);
  const server_ = await server.analytics(account.id, name, { ...query, format: 'csv', headers: 'ja' });
  assert.equal(server_.status, 200);
  const expected = server_.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.equal(lines[0], expected[0], `${name}: the header row`);
  assert.ok(lines[0].startsWith(`${firstColumn},`), `${name}: ${lines[0]}`);
  assert.equal(lines.length, expected.length, `${name}: as many lines as the server's CSV`);
  assert.ok(csv.name.endsWith('.csv'), csv.name);
}

test('origin and destination: prefecture rankings that hold the API figures', async () => {
  for (const name of ['origin', 'destination']) {
    await open(name);
    const answer = await api(name);
    assert.ok(answer.rows.length >= 3, `${name}: several prefectures`);
    assertRows(await rowsOf(), answer.rows, (r) => r.pref, ['calls', 'completed']);
    // Ranked as the API ranks them, names shown.
    const order = await page.$$eval('#data-table tbody tr[data-t]', (trs) => trs.map((tr) => tr.getAttribute('data-t')));
    assert.deepEqual(order, answer.rows.map((r) => r.pref));
    assert.ok((await page.textContent('#data-table tbody')).includes(answer.rows[0].name));
    const totals = await page.$$eval('#totals-row td[data-value]', (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    assert.ok(totals.includes(answer.totals.calls), `${name} totals ${totals}`);
    await checkCsv(name, {}, '都道府県コード');
  }
  assert.deepEqual(page.consoleErrors, []);
});

test('origin × destination: a heat map and the non-zero pairs', async () => {
  await open('origin-destination');
  const answer = await api('origin-destination');
  assertRows(await rowsOf(), answer.cells, (c) => `${c.origin}-${c.destination}`, ['calls']);
  assert.ok((await page.textContent('#data-table tbody')).includes(answer.names['13']));
  const png = await download('button[data-download="png"]');
  const size = pngSize(readFileSync(png.file));
  assert.ok(size.width > 400 && size.height > 300, JSON.stringify(size));
  await checkCsv('origin-destination', {}, '発信地域コード');
  assert.deepEqual(page.consoleErrors, []);
});

test('numbers: a row per AN, sorted by a click on a heading', async () => {
  await open('numbers');
  const answer = await api('numbers');
  assertRows(await rowsOf(), answer.rows, (r) => r.an, ['calls', 'completed', 'completion_rate', 'talk_seconds', 'mean_talk_seconds', 'busiest_hour']);
  const byCalls = [...answer.rows].sort((a, b) => b.calls - a.calls).map((r) => r.an);
  await page.click('#data-table thead th:nth-child(2) button');
  assert.equal(await page.getAttribute('#data-table thead th:nth-child(2)', 'aria-sort'), 'descending');
  let order = await page.$$eval('#data-table tbody tr[data-t]', (trs) => trs.map((tr) => tr.getAttribute('data-t')));
  assert.equal(order[0], byCalls[0], `the most calls first: ${order}`);
  await page.click('#data-table thead th:nth-child(2) button');
  assert.equal(await page.getAttribute('#data-table thead th:nth-child(2)', 'aria-sort'), 'ascending');
  order = await page.$$eval('#data-table tbody tr[data-t]', (trs) => trs.map((tr) => tr.getAttribute('data-t')));
  assert.equal(order.at(-1), byCalls[0], `the most calls last: ${order}`);
  const pptx = await download('button[data-download="pptx"]');
  assert.ok(zipEntries(pptx.file).some((e) => /^ppt\/charts\/chart\d*\.xml$/.test(e)), 'a native chart');
  await checkCsv('numbers', {}, '番号（AN）');
  assert.deepEqual(page.consoleErrors, []);
});

test('calls and minutes: minute buckets only for one day, and the table follows the API', async () => {
  await open('calls-minutes');
  const answer = await api('calls-minutes');
  assertRows(await rowsOf(), answer.series, (b) => b.t, ['calls', 'completed', 'talk_seconds', 'talk_minutes']);
  const minuteDisabled = () => page.$eval('#filters [name="granularity"] option[value="minute"]', (o) => o.disabled);
  assert.equal(await minuteDisabled(), true, 'no minute buckets over the default range');

  await page.fill('#filters [name="from"]', BUSY_DAY);
  await page.fill('#filters [name="to"]', BUSY_DAY);
  await until('minute buckets offered for one day', async () => !(await minuteDisabled()));
  await page.selectOption('#filters [name="granularity"]', 'minute');
  await page.click('#apply-filters');
  await page.waitForURL((url) => url.searchParams.get('granularity') === 'minute');
  const minutes = await api('calls-minutes', { from: BUSY_DAY, to: BUSY_DAY, granularity: 'minute' });
  assert.equal(minutes.series.length, 1440);
  await until('the minute table', async () => (await rowsOf()).length === 1440);
  assertRows(await rowsOf(), minutes.series, (b) => b.t, ['calls', 'talk_seconds', 'talk_minutes']);
  await checkCsv('calls-minutes', { from: BUSY_DAY, to: BUSY_DAY, granularity: 'minute' }, '期間');

  // A longer range takes the minute choice away again.
  await page.fill('#filters [name="from"]', OTHER_DAY);
  await until('minute buckets withdrawn', async () => minuteDisabled());
  assert.notEqual(await page.inputValue('#filters [name="granularity"]'), 'minute');
  assert.deepEqual(page.consoleErrors, []);
});

test('callers: repeat histogram, new and returning, in the table and in words', async () => {
  await open('callers');
  const answer = await api('callers');
  const items = [
    ...['distinct_callers', 'new_callers', 'returning_callers', 'withheld_calls'].map((k) => ({ key: k, value: answer[k] })),
    ...Object.entries(answer.repeat).map(([b, v]) => ({ key: `repeat_${b}`, value: v })),
  ];
  assertRows(await rowsOf(), items, (i) => i.key, ['value']);
  assert.equal(answer.withheld_calls, 3);
  assert.equal(answer.repeat['4-5'], 1, 'the caller who called four times');
  assert.equal(Number(await page.getAttribute('#view-headline', 'data-distinct-callers')), answer.distinct_callers);
  await checkCsv('callers', {}, '項目');
  assert.deepEqual(page.consoleErrors, []);
});

test('lines: the recommendation in words, the Erlang B table, and a blocking target that asks again', async () => {
  await open('lines');
  const answer = await api('lines');
  assert.equal(answer.busy_hour, `${BUSY_DAY}T10`);
  assertRows(await rowsOf(), answer.series, (b) => b.t, ['peak', 'erlangs']);
  assertRows(await rowsOf('#erlang-table'), answer.table, (r) => String(r.lines), ['lines', 'blocking']);
  const recommended = async () => Number(await page.getAttribute('#view-headline', 'data-recommended-lines'));
  assert.equal(await recommended(), answer.recommended_lines);
  assert.match(await page.textContent('#view-headline'), new RegExp(`${answer.recommended_lines} 回線`));

  const loose = await api('lines', { gos: '0.05' });
  assert.notEqual(loose.recommended_lines, answer.recommended_lines, 'the data makes the target matter');
  await page.selectOption('#filters [name="gos"]', '0.05');
  await page.waitForURL((url) => url.searchParams.get('gos') === '0.05');
  await until('the new recommendation', async () => (await recommended()) === loose.recommended_lines);
  assertRows(await rowsOf('#erlang-table'), loose.table, (r) => String(r.lines), ['lines', 'blocking']);

  const pdf = await download('button[data-download="pdf"]');
  const text = pdfText(pdf.file);
  assert.match(text, /同時適正回線数/);
  assert.ok(text.includes(`${loose.recommended_lines} 回線`), 'the recommendation in the PDF');
  await checkCsv('lines', { gos: '0.05' }, '期間');
  assert.deepEqual(page.consoleErrors, []);
});

test('distribution: weekday × hour, talk time and time bands', async () => {
  await open('distribution');
  const answer = await api('distribution');
  const rows = await rowsOf();
  assert.deepEqual(rows.map((r) => r.t), ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
  for (const cell of answer.heatmap) {
    const row = rows.find((r) => r.t === cell.weekday);
    assert.equal(row.values[cell.hour], cell.calls, `${cell.weekday} ${cell.hour}`);
  }
  assertRows(await rowsOf('#talk-time-table'), answer.talk_time, (b) => b.bucket, ['calls']);
  assertRows(await rowsOf('#bands-table'), answer.bands, (b) => b.band, ['calls']);
  assert.ok((await page.textContent('#view-headline')).length > 5);
  await checkCsv('distribution', {}, '表');
  assert.deepEqual(page.consoleErrors, []);
});

test('the DN filter narrows a view; a DN of another account is named', async () => {
  await page.goto(`${server.customerUrl}/analytics/origin`);
  await page.waitForSelector('#data-table tbody tr[data-t]');
  await page.click('#filters .more-filters > summary');
  await page.fill('#filters [name="dn"]', `${DN1.slice(0, 2)}-${DN1.slice(2, 6)}-${DN1.slice(6)}`);
  await page.click('#apply-filters');
  await page.waitForURL((url) => url.searchParams.get('dn') === DN1);
  const answer = await api('origin', { dn: DN1 });
  await until('the DN-filtered table', async () => (await rowsOf()).length === answer.rows.length);
  assertRows(await rowsOf(), answer.rows, (r) => r.pref, ['calls', 'completed']);
  assert.ok((await page.textContent('#applied-filters')).includes(DN1));

  const other = opidEntry('SHOP0002').ans[0].dns[0];
  await page.fill('#filters [name="dn"]', other);
  await page.click('#apply-filters');
  await page.waitForSelector('.alert.error');
  assert.equal(await page.getAttribute('#filters [name="dn"]', 'aria-invalid'), 'true');
  assert.deepEqual(page.consoleErrors, []);
});

test('the DN filter on a basic view: the traffic of the calls one DN took', async () => {
  await page.goto(`${server.customerUrl}/analytics/traffic?dn=${DN2}`);
  await page.waitForSelector('#data-table tbody tr[data-t]');
  const answer = await api('traffic', { dn: DN2 });
  assert.equal(answer.totals.calls, quietDay().length, 'every call DN2 took, and only those');
  const rows = await rowsOf();
  const busy = answer.series.filter((b) => b.calls > 0);
  assert.ok(busy.length > 0);
  for (const b of busy) {
    const row = rows.find((r) => r.t === b.t);
    assert.ok(row, `a row for ${b.t}`);
    assert.ok(row.values.includes(b.calls) && row.values.includes(b.completed), `${b.t}: ${row.values}`);
  }
  assert.ok((await page.textContent('#applied-filters')).includes(DN2));
  assert.deepEqual(page.consoleErrors, []);
});

test('every detailed view is a choice of the report', async () => {
  await page.goto(server.customerUrl + '/report');
  await page.waitForSelector('#main [name="report-item"]');
  for (const name of VIEWS) assert.equal(await page.locator(`[name="report-item"][value="${name}"]`).count(), 1, name);
  for (const item of await page.$$('#main [name="report-item"]')) await item.uncheck();
  await page.check('[name="report-item"][value="origin-destination"]');
  await page.check('[name="report-item"][value="distribution"]');
  const pdf = await download('#report-pdf');
  const text = pdfText(pdf.file);
  assert.match(text, /発着信地域別/);
  assert.match(text, /通話時間帯他分布/);
  assert.deepEqual(page.consoleErrors, []);
});

// SPEC §19: the report takes the blocking target too. Chosen in the report's bar (the choice alone
// makes no document, unlike on the lines page where it asks again), the lines view is asked with
// it and its section states it with the recommendation it gives; recent traffic, which takes no
// target, is asked without it.
test('a report with the lines view asks with the blocking target chosen, and its section states it', async () => {
  const loose = await api('lines', { gos: '0.05' });
  const asked = [];
  const onRequest = (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/analytics/')) asked.push({ name: u.pathname.slice('/api/analytics/'.length), params: u.searchParams });
  };
  const query = (name) => asked.find((r) => r.name === name)?.params;
  page.on('request', onRequest);
  try {
    await page.goto(server.customerUrl + '/report');
    await page.waitForSelector('#main [name="report-item"]');
    for (const item of await page.$$('#main [name="report-item"]')) await item.uncheck();
    await page.check('[name="report-item"][value="lines"]');
    await page.check('[name="report-item"][value="traffic"]');
    const gos = '#filters [name="gos"]';
    assert.equal((await page.textContent('#filters .gos-field label')).trim(), '目標呼損率（同時適正回線数のみ）');
    assert.equal(await page.inputValue(gos), '0.01', 'the default target first');
    await page.selectOption(gos, '0.05');
    assert.equal((await page.textContent('#report-status')).trim(), '', 'the choice alone makes no document');
    asked.length = 0;
    const pdf = await download('#report-pdf');
    assert.equal(query('lines')?.get('gos'), '0.05', `the lines view was asked with the target (${asked.map((r) => r.name)})`);
    const traffic = query('traffic');
    assert.ok(traffic, 'recent traffic was asked for');
    assert.equal(traffic.get('gos'), null, 'recent traffic takes no target');
    const flat = pdfText(pdf.file).replace(/\s+/g, '');
    assert.ok(flat.includes('目標呼損率:5%'), 'the section states the target');
    assert.ok(flat.includes(`${loose.recommended_lines}回線`), `the recommendation for 5 % (${loose.recommended_lines} lines)`);
    assert.deepEqual(page.consoleErrors, []);
  } finally {
    page.off('request', onRequest);
  }
});

test('English: prefecture names and texts follow the page language', async () => {
  const en = await newPage(browser, { lang: 'en' });
  await en.context().addCookies(await page.context().cookies());   // the same session
  await en.goto(`${server.customerUrl}/analytics/origin`);
  await en.waitForSelector('#data-table tbody tr[data-t]');
  assert.match(await en.textContent('#data-table tbody'), /Tokyo/);
  assert.match(await en.textContent('main h1'), /region/i);
  assert.deepEqual(en.consoleErrors, []);
  await en.context().close();
});

test('a free account sees the plan offer on every detailed view', async () => {
  const free = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-20) });
  const fp = await newPage(browser);
  await loginThroughPages(fp, server, free.id);
  for (const name of VIEWS) {
    await fp.goto(`${server.customerUrl}/analytics/${name}`);
    await fp.waitForSelector('#plan-offer');
    assert.equal(await fp.locator('#data-table').count(), 0, `${name}: no table`);
    const r = await server.analytics(free.id, name, {});
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'plan_required');
  }
  assert.deepEqual(fp.consoleErrors, []);
  await fp.context().close();
});
