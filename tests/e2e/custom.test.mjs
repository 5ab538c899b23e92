// Custom data (独自データ, SPEC §15) in the browser: a standard account creates a set by hand on
// /custom, sees it listed, gets the browser's checks and the server's 422 at the rows and fields,
// edits its points, copies an analysis into a set and deletes one after confirming; imports CSV
// files (UTF-8 and Shift_JIS made here, a broken one whose per-line errors show beside the preview
// and whose good lines are then stored with partial=true; a file over 5 MiB refused before sending);
// sees a set drawn over the traffic analysis (its values per bucket in the table, in the legend,
// the applied filters, the CSV, PDF and PowerPoint), over the comparison and the detailed calls per
// minute; the page in English; a free account's plan offer (no request) and locked picker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Server, launchBrowser, newPage, opidEntry, loginThroughPages, jstDate, jstStart, pdfText, zipEntries, zipEntry, until, apiGet } from './harness.mjs';

const demo = opidEntry('DEMO0001');
const [AN1, AN2] = demo.ans.map((a) => a.an);

let server;
let browser;
let account;
let page;
let seq = 0;

const calls = (day, an, n, hour = 10) => Array.from({ length: n }, (_, i) => ({
  call_id: `cst-${++seq}`, start: jstStart(day, hour + (i % 6), i), an, dn: demo.ans[0].dns[0], caller: `0312400${String(seq).padStart(4, '0')}`,
  duration_s: i % 3 === 2 ? 0 : 60 + i, result: i % 3 === 2 ? 'busy' : 'completed',
}));

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'DEMO0001', plan: 'standard', registered: jstDate(-20) });
  await server.ingest([...calls(jstDate(-3), AN1, 6), ...calls(jstDate(-2), AN2, 4, 13), ...calls(jstDate(-1), AN1, 5)]);
  page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The customer API with the page's session (GET only).
const customer = apiGet;

const setItem = (name) => `#custom-sets li[data-set-name="${name}"]`;
const row = (n) => `#points-table tbody tr.point-row:nth-child(${n})`;
const setByName = async (name) => (await customer(page, '/api/custom')).body.sets.find((s) => s.name === name);
const points = async (id) => (await customer(page, `/api/custom/${id}`)).body.points;

async function download(selector, p = page) {
  const [dl] = await Promise.all([p.waitForEvent('download', { timeout: 60000 }), p.click(selector)]);
  const file = join(server.tmp, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return { file, name: dl.suggestedFilename() };
}

const D1 = jstDate(-3);
const D2 = jstDate(-2);
const D3 = jstDate(-1);

test('custom data page: create by hand, listed, checks and the server\'s 422 at rows and fields, edit, copy, delete', async () => {
  await page.goto(server.customerUrl + '/dashboard');
  await page.click('#sidenav a[href="/custom"]');
  await page.waitForSelector('#custom-sets');
  assert.match(await page.textContent('main h1'), /独自データ/);
  assert.match(await page.textContent('#custom-sets'), /まだ独自データはありません/);

  // A new set: name, unit and two rows of the three empty ones offered (the empty one is not sent).
  await page.click('#new-custom-set');
  await page.waitForSelector('#custom-form');
  assert.equal(await page.locator('#points-table tbody tr.point-row').count(), 3);
  await page.fill('#custom-form [name="name"]', '来店数');
  await page.fill('#custom-form [name="unit"]', '人');
  await page.fill(`${row(1)} [name="t"]`, D1);
  await page.fill(`${row(1)} [name="value"]`, '12.5');
  await page.fill(`${row(2)} [name="t"]`, D2);
  await page.fill(`${row(2)} [name="value"]`, '3');
  await page.click('#custom-save');
  await page.waitForSelector(setItem('来店数'));
  assert.equal(await page.getAttribute(`${setItem('来店数')} .custom-count`, 'data-points'), '2');
  assert.equal(await page.getAttribute(`${setItem('来店数')} .custom-range`, 'data-first'), D1);
  assert.equal(await page.getAttribute(`${setItem('来店数')} .custom-range`, 'data-last'), D2);
  assert.match(await page.textContent(setItem('来店数')), /単位: 人/);
  assert.match(await page.textContent('#custom-status'), /来店数/);
  const visits = await setByName('来店数');
  assert.deepEqual([visits.unit, visits.points, visits.first, visits.last], ['人', 2, D1, D2]);
  assert.deepEqual(await points(visits.id), [{ t: D1, value: 12.5 }, { t: D2, value: 3 }]);

  // The browser's checks, with the server's messages: a missing name, a time that is no date, a
  // value that is no number; the summary takes focus.
  await page.click('#new-custom-set');
  await page.fill(`${row(1)} [name="t"]`, '2026-13-01');
  await page.fill(`${row(1)} [name="value"]`, '5');
  await page.fill(`${row(2)} [name="t"]`, D1);
  await page.fill(`${row(2)} [name="value"]`, 'abc');
  await page.click('#custom-save');
  await page.waitForSelector('#custom-form-summary:not(.hidden)');
  assert.equal(await page.textContent('#error-set-name'), 'データ名を入力してください。');
  assert.match(await page.textContent(`${row(1)} .field-error`), /2026-11-01/);
  assert.equal(await page.getAttribute(`${row(1)} [name="t"]`, 'aria-invalid'), 'true');
  assert.equal(await page.textContent(`${row(2)} [name="value"] + .field-error`), '値は数値で入力してください。');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'custom-form-summary');
  assert.match(await page.textContent('#custom-form-summary'), /1行目: 日時は/);

  // The server's 422: a name another set has (at the name field) and a day before the 24-month
  // retention (at its row: only the server knows its today).
  const old = jstDate(-800);
  await page.fill('#custom-form [name="name"]', '来店数');
  await page.fill(`${row(1)} [name="t"]`, old);
  await page.fill(`${row(2)} [name="value"]`, '4');
  await page.click('#custom-save');
  await page.waitForSelector('#error-set-name:not(:empty)');
  assert.equal(await page.textContent('#error-set-name'), '同じ名前のデータがすでにあります。別の名前を入力してください。');
  assert.equal(await page.getAttribute('#custom-form [name="name"]', 'aria-invalid'), 'true');
  assert.equal(await page.textContent(`${row(1)} [name="t"] + .field-error`), '保存期間（24か月）より前の日時です。');
  assert.equal(await page.getAttribute(`${row(1)} [name="t"]`, 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute(`${row(2)} [name="t"]`, 'aria-invalid'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'custom-form-summary');
  await page.click('#custom-form [data-action="cancel-edit"]');
  assert.equal((await customer(page, '/api/custom')).body.sets.length, 1, 'nothing stored');

  // Edit: the points are loaded as rows; one value changed, one row deleted, one added.
  await page.click(`${setItem('来店数')} [data-action="edit"]`);
  await page.waitForSelector(`#custom-form[data-set-id="${visits.id}"]`);
  assert.equal(await page.inputValue('#custom-form [name="name"]'), '来店数');
  assert.deepEqual(await page.$$eval('#points-table [name="t"]', (xs) => xs.map((x) => x.value)), [D1, D2]);
  await page.fill(`${row(1)} [name="value"]`, '20');
  await page.click(`${row(2)} [data-action="delete-row"]`);
  assert.equal(await page.locator('#points-table tbody tr.point-row').count(), 1);
  await page.click('#add-point');
  await page.fill(`${row(2)} [name="t"]`, D3);
  await page.fill(`${row(2)} [name="value"]`, '7');
  // What is typed survives the language switch (and back).
  for (const heading of ['Custom data', '独自データ']) {
    await page.click('.lang-switch');
    await until(`the page in the other language (${heading})`, async () => (await page.textContent('main h1')) === heading);
    await page.waitForSelector(`#custom-form[data-set-id="${visits.id}"]`);
    assert.deepEqual(await page.$$eval('#points-table tbody tr.point-row', (trs) => trs.map((tr) =>
      [tr.querySelector('[name="t"]').value, tr.querySelector('[name="value"]').value])), [[D1, '20'], [D3, '7']]);
  }
  await page.click('#custom-save');
  await until('the edit saved', async () => (await page.locator('#custom-form').count()) === 0);
  assert.match(await page.textContent('#custom-status'), /保存しました/);
  assert.deepEqual(await points(visits.id), [{ t: D1, value: 20 }, { t: D3, value: 7 }]);
  assert.equal(await page.getAttribute(`${setItem('来店数')} .custom-range`, 'data-last'), D3);

  // A copy of an analysis: the traffic's calls per day over a range.
  await page.fill('#custom-copy-form [name="name"]', '呼数コピー');
  await page.fill('#custom-copy-form [name="unit"]', '件');
  await page.selectOption('#custom-copy-form [name="from_analysis.name"]', 'traffic');
  await page.selectOption('#custom-copy-form [name="from_analysis.figure"]', 'calls');
  await page.fill('#custom-copy-form [name="copy_from"]', D1);
  await page.fill('#custom-copy-form [name="copy_to"]', D3);
  await page.click('#copy-store');
  await page.waitForSelector(setItem('呼数コピー'));
  const copy = await setByName('呼数コピー');
  const traffic = (await server.analytics(account.id, 'traffic', { from: D1, to: D3 })).body;
  assert.deepEqual(await points(copy.id), traffic.series.map((b) => ({ t: b.t, value: b.calls })));

  // Hours over more than 31 days (SPEC §19): the form copies days instead of being refused, says so
  // beside the control, and gives the hours back once the range fits again.
  const copyGran = '#custom-copy-form [name="copy_granularity"]';
  const hourNote = '#custom-copy-form .gran-note';
  await page.selectOption(copyGran, 'hour');
  assert.equal(await page.isVisible(hourNote), false);
  await page.fill('#custom-copy-form [name="copy_from"]', jstDate(-60));
  assert.equal(await page.inputValue(copyGran), 'day');
  assert.equal(await page.isVisible(hourNote), true);
  assert.match(await page.textContent(hourNote), /31日/);
  await page.fill('#custom-copy-form [name="copy_from"]', D1);
  assert.equal(await page.inputValue(copyGran), 'hour');
  assert.equal(await page.isVisible(hourNote), false);
  await page.fill('#custom-copy-form [name="name"]', '長期コピー');
  await page.fill('#custom-copy-form [name="copy_from"]', jstDate(-60));
  await page.click('#copy-store');
  await page.waitForSelector(setItem('長期コピー'));
  const long = await setByName('長期コピー');
  const longPoints = await points(long.id);
  assert.ok(longPoints.length > 0 && longPoints.every((p) => p.t.length === 10), 'copied by day');
  await page.click(`${setItem('長期コピー')} [data-action="delete"]`);
  await page.click(`${setItem('長期コピー')} [data-action="confirm-delete"]`);
  await until('the long copy gone', async () => (await page.locator(setItem('長期コピー')).count()) === 0);

  // Delete asks first; "cancel" keeps it, the confirmation deletes it.
  await page.click(`${setItem('呼数コピー')} [data-action="delete"]`);
  await page.waitForSelector(`${setItem('呼数コピー')} [role="alertdialog"]`);
  await page.click(`${setItem('呼数コピー')} [data-action="cancel-delete"]`);
  assert.equal((await customer(page, '/api/custom')).body.sets.length, 2);
  await page.click(`${setItem('呼数コピー')} [data-action="delete"]`);
  await page.click(`${setItem('呼数コピー')} [data-action="confirm-delete"]`);
  await until('the set gone', async () => (await page.locator(setItem('呼数コピー')).count()) === 0);
  assert.match(await page.textContent('#custom-status'), /削除しました/);
  assert.deepEqual((await customer(page, '/api/custom')).body.sets.map((s) => s.name), ['来店数']);
  assert.equal((await customer(page, `/api/custom/${copy.id}`)).status, 404);
  assert.deepEqual(page.consoleErrors, []);
});

// The custom column of the data table, by bucket: the raw value (null: no data-value).
const customCells = (id) => page.$$eval(`#data-table tbody tr[data-t]`, (rows, key) => rows.map((tr) => {
  const td = tr.querySelector(`td[data-key="${key}"]`);
  return { t: tr.getAttribute('data-t'), value: td ? (td.hasAttribute('data-value') ? Number(td.getAttribute('data-value')) : null) : undefined };
}), `custom:${id}`);

test('a set over the traffic analysis: values per bucket in the table, the legend, the filters line and every download', async () => {
  const visits = await setByName('来店数');
  const from = jstDate(-6);
  const to = jstDate(0);
  // Chosen with the picker: the URL then holds custom=ID.
  await page.goto(`${server.customerUrl}/analytics/traffic?from=${from}&to=${to}`);
  await page.waitForSelector('#data-table tbody tr[data-t]');
  assert.equal(await page.locator('#filters .more-filters[open]').count(), 0);
  await page.click('#filters .more-filters > summary');
  await page.check(`#filters input[name="custom"][value="${visits.id}"]`);
  await page.click('#apply-filters');
  await page.waitForURL((url) => url.searchParams.get('custom') === visits.id);
  await until('the custom column', async () => (await customCells(visits.id)).every((c) => c.value !== undefined));

  const answer = (await customer(page, `/api/analytics/traffic?from=${from}&to=${to}&custom=${visits.id}`)).body;
  assert.equal(answer.custom[0].name, '来店数');
  const cells = await customCells(visits.id);
  assert.equal(cells.length, answer.series.length, 'one row per bucket');
  const put = { [D1]: 20, [D3]: 7 };
  for (const c of cells) assert.equal(c.value, put[c.t] ?? null, `${c.t}: ${c.value}`);
  assert.deepEqual(cells, answer.custom[0].series.map((p) => ({ t: p.t, value: p.value })));
  // The calls are still there, beside it.
  const d1Row = await page.$$eval(`#data-table tr[data-t="${D1}"] td[data-key="calls"]`, (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  assert.deepEqual(d1Row, [answer.series.find((b) => b.t === D1).calls]);
  assert.match(await page.textContent('#data-table thead'), /来店数（人）/);
  // The chart's series, as ECharts describes them (aria) — the legend lists the same names.
  await until('the set in the chart', async () => /来店数（人）/.test(await page.getAttribute('#chart', 'aria-label') ?? ''));
  assert.match(await page.textContent('#applied-filters'), /独自データ: 来店数/);

  // A reload restores the choice.
  await page.reload();
  await page.waitForSelector(`#data-table td[data-key="custom:${visits.id}"]`);
  assert.equal(await page.locator('#filters .more-filters[open]').count(), 1);
  assert.equal(await page.isChecked(`#filters input[name="custom"][value="${visits.id}"]`), true);

  // The CSV is the server's answer to the same query: one more column, named by the set.
  const csv = await download('button[data-download="csv"]');
  const body = readFileSync(csv.file, 'utf8').replace(/^\uFEFF/, '');
  const expected = await server.analytics(account.id, 'traffic', { from, to, custom: visits.id, format: 'csv', headers: 'ja' });
  assert.equal(body, expected.text.replace(/^\uFEFF/, ''));
  assert.match(body.split('\r\n')[0], /,来店数$/);
  // PDF: the table with the set's column; PowerPoint: the chart as a picture (traffic already has a
  // right-hand axis), the set in the tables.
  const pdf = pdfText((await download('button[data-download="pdf"]')).file);
  assert.match(pdf, /来店数（人）/);
  assert.match(pdf, /独自データ: 来店数/);
  const pptx = (await download('button[data-download="pptx"]')).file;
  const slides = zipEntries(pptx).filter((e) => /^ppt\/slides\/slide\d+\.xml$/.test(e));
  assert.ok(slides.some((s) => zipEntry(pptx, s).includes('来店数（人）')), 'the set in a slide\'s table');
  assert.ok(zipEntries(pptx).some((e) => /^ppt\/media\//.test(e)), 'the chart as a picture');

  // The comparison (no right-hand axis of its own): a native PowerPoint chart with the set's line.
  await page.goto(`${server.customerUrl}/analytics/compare?from=${D1}&to=${to}&custom=${visits.id}`);
  await page.waitForSelector(`#data-table td[data-key="custom:${visits.id}"]`);
  const compareCells = await customCells(visits.id);
  assert.deepEqual(compareCells.find((c) => c.t === D1), { t: D1, value: 20 });
  const cpptx = (await download('button[data-download="pptx"]')).file;
  const charts = zipEntries(cpptx).filter((e) => /^ppt\/charts\/chart\d*\.xml$/.test(e));
  assert.ok(charts.some((c) => zipEntry(cpptx, c).includes('来店数（人）')), 'the set as a series of the native chart');

  // A detailed view with buckets: calls and minutes per day.
  await page.goto(`${server.customerUrl}/analytics/calls-minutes?from=${D1}&to=${D3}&granularity=day&custom=${visits.id}`);
  await page.waitForSelector(`#data-table td[data-key="custom:${visits.id}"]`);
  assert.deepEqual(await customCells(visits.id), [{ t: D1, value: 20 }, { t: D2, value: null }, { t: D3, value: 7 }]);

  // A bookmark naming a set that is gone is explained without asking the server.
  await page.goto(`${server.customerUrl}/analytics/traffic?custom=0123456789abcdef`);
  await page.waitForSelector('.alert.error');
  assert.match(await page.textContent('.alert.error'), /独自データ/);
  assert.deepEqual(page.consoleErrors, []);
});

// A file for the upload input, from bytes made here.
const csvFile = (name, bytes) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(bytes) });
const sjis = (text) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP932'], { input: Buffer.from(text, 'utf8') });

// Upload requests the page makes (none may leave for a file refused in the browser).
function countUploads(p) {
  const seen = [];
  p.on('request', (r) => { if (r.url().includes('/api/custom/upload')) seen.push(r.url()); });
  return seen;
}

test('upload preview: lines decoded in the browser (UTF-8, Shift_JIS), a file over 5 MiB refused before sending', async () => {
  const uploads = countUploads(page);
  await page.goto(server.customerUrl + '/custom');
  await page.waitForSelector('#custom-upload-form');

  await page.setInputFiles('#in-up-file', csvFile('visitors.csv', `\uFEFFt,value\r\n${D1},10\r\n${D2},11.5\r\n`));
  await page.waitForSelector('#upload-preview tr[data-line="3"]');
  assert.equal(await page.getAttribute('#upload-preview-info', 'data-encoding'), 'utf-8');
  assert.equal(await page.inputValue('#custom-upload-form [name="name"]'), 'visitors', 'the name defaults to the file\'s');
  assert.deepEqual(await page.$$eval('#upload-preview tr[data-line="2"] td', (tds) => tds.slice(0, 3).map((td) => td.textContent)), ['2', D1, '10']);

  await page.setInputFiles('#in-up-file', csvFile('sjis.csv', sjis(`日付,値\r\n${D1},5\r\n`)));
  await until('the Shift_JIS preview', async () => (await page.getAttribute('#upload-preview-info', 'data-encoding')) === 'shift_jis');
  assert.match(await page.textContent('#upload-preview tr[data-line="1"]'), /日付.*値/);
  // Read as UTF-8 on request, the same bytes give no Japanese heading.
  await page.selectOption('#custom-upload-form [name="encoding"]', 'utf-8');
  await until('the UTF-8 reading', async () => (await page.getAttribute('#upload-preview-info', 'data-encoding')) === 'utf-8');
  assert.doesNotMatch(await page.textContent('#upload-preview tr[data-line="1"]'), /日付/);
  await page.selectOption('#custom-upload-form [name="encoding"]', 'auto');

  // Over 5 MiB: named at the field, no preview, nothing sent.
  const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x31);
  await page.setInputFiles('#in-up-file', csvFile('big.csv', big));
  await page.waitForSelector('#error-up-file:not(:empty)');
  assert.match(await page.textContent('#error-up-file'), /5 MB/);
  assert.equal(await page.locator('#upload-preview-wrap.hidden').count(), 1);
  await page.click('#upload-store');
  await page.waitForSelector('#custom-upload-form-summary:not(.hidden)');
  assert.equal(uploads.length, 0, 'no upload request for a refused file');
  assert.deepEqual(page.consoleErrors, []);
});

test('upload: UTF-8 and Shift_JIS files stored, a broken file\'s errors by line, then its good lines with partial', async (t) => {
  const probe = await page.evaluate(async () => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch('/api/custom/upload?name=probe', { method: 'POST', headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': me.csrf_token }, body: 't,value\n' });
    return r.status;
  });
  if (probe === 501) {
    page.consoleErrors = page.consoleErrors.filter((e) => !/status of 501/.test(e));   // the probe's own answer
    t.skip('POST /api/custom/upload is not served by this server yet (501)');
    return;
  }
  // An empty probe file may have been stored as an empty set: start from a known list.
  const leftover = await setByName('probe');
  if (leftover) await page.evaluate(async (id) => {
    const me = await (await fetch('/api/me')).json();
    await fetch(`/api/custom/${id}`, { method: 'DELETE', headers: { 'X-CSRF-Token': me.csrf_token } });
  }, leftover.id);

  await page.goto(server.customerUrl + '/custom');
  await page.waitForSelector('#custom-upload-form');

  // UTF-8 with a BOM and CRLF, the name and unit typed.
  await page.setInputFiles('#in-up-file', csvFile('visitors.csv', `\uFEFFt,value\r\n${D1},10\r\n${D2},11.5\r\n`));
  await page.waitForSelector('#upload-preview tr[data-line="3"]');
  await page.fill('#custom-upload-form [name="name"]', '売上');
  await page.fill('#custom-upload-form [name="unit"]', '万円');
  await page.click('#upload-store');
  await page.waitForSelector(setItem('売上'));
  assert.match(await page.textContent('#custom-status'), /売上.*2/);
  const sales = await setByName('売上');
  assert.equal(sales.unit, '万円');
  assert.deepEqual(await points(sales.id), [{ t: D1, value: 10 }, { t: D2, value: 11.5 }]);
  assert.equal(await page.inputValue('#custom-upload-form [name="name"]'), '', 'the form starts again');

  // Shift_JIS (CP932) bytes, 日付,値 heading, LF, encoding detected by the server too.
  await page.setInputFiles('#in-up-file', csvFile('気温.csv', sjis(`日付,値\n${D1},8.5\n${D3},-1\n`)));
  await until('the Shift_JIS preview', async () => (await page.getAttribute('#upload-preview-info', 'data-encoding')) === 'shift_jis');
  assert.equal(await page.inputValue('#custom-upload-form [name="name"]'), '気温');
  await page.fill('#custom-upload-form [name="unit"]', '℃');
  await page.click('#upload-store');
  await page.waitForSelector(setItem('気温'));
  assert.deepEqual(await points((await setByName('気温')).id), [{ t: D1, value: 8.5 }, { t: D3, value: -1 }]);

  // Broken lines: nothing stored, each error beside its line of the preview and in the list.
  await page.setInputFiles('#in-up-file', csvFile('broken.csv', `t,value\n${D1},1\n2026-13-40,2\n${D2},abc\n${D3},4\n`));
  await page.waitForSelector('#upload-preview tr[data-line="5"]');
  await page.fill('#custom-upload-form [name="name"]', '壊れたファイル');
  await page.click('#upload-store');
  await page.waitForSelector('#upload-error-summary');
  assert.equal(await setByName('壊れたファイル'), undefined, 'nothing stored');
  const listed = await page.$$eval('#upload-errors li[data-line]', (lis) => lis.map((li) => [li.getAttribute('data-line'), li.getAttribute('data-field')]));
  assert.deepEqual(listed, [['3', 't'], ['4', 'value']]);
  assert.equal(await page.locator('#upload-preview tr.line-error').count(), 2);
  assert.match(await page.textContent('#upload-preview tr[data-line="3"] .line-check'), /日時は/);
  assert.match(await page.textContent('#upload-preview tr[data-line="4"] .line-check'), /数値/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'upload-error-summary');
  // The good lines only.
  await page.click('#upload-partial');
  await page.waitForSelector(setItem('壊れたファイル'));
  assert.match(await page.textContent('#custom-status'), /2行は取り込んでいません/);
  assert.deepEqual(await points((await setByName('壊れたファイル')).id), [{ t: D1, value: 1 }, { t: D3, value: 4 }]);
  assert.deepEqual(await page.$$eval('#upload-errors li[data-line]', (lis) => lis.map((li) => li.getAttribute('data-line'))), ['3', '4']);
  assert.deepEqual(page.consoleErrors, []);
});

test('English: the custom data page and its messages, the server\'s included', async () => {
  const en = await newPage(browser, { lang: 'en' });
  await en.context().addCookies(await page.context().cookies());   // the same session
  await en.goto(server.customerUrl + '/custom');
  await en.waitForSelector('#custom-sets li[data-set-name]');
  assert.equal(await en.textContent('main h1'), 'Custom data');
  assert.match(await en.textContent(setItem('来店数')), /2 points/);
  await en.click('#new-custom-set');
  await en.fill('#custom-form [name="name"]', '来店数');
  await en.fill(`${row(1)} [name="t"]`, jstDate(-800));
  await en.fill(`${row(1)} [name="value"]`, '1');
  await en.click('#custom-save');
  await en.waitForSelector('#error-set-name:not(:empty)');
  assert.equal(await en.textContent('#error-set-name'), 'A data set with this name already exists. Please choose another name.');
  assert.equal(await en.textContent(`${row(1)} [name="t"] + .field-error`), 'This time is before the 24-month retention window.');
  assert.match(await en.textContent('#custom-form-summary'), /Row 1: This time/);
  // No Japanese left but the data (the sets' names, what was typed) and the switch back.
  const allowed = new Set(['日本語', ...(await customer(en, '/api/custom')).body.sets.flatMap((s) => [s.name, s.unit])]);
  const words = [...new Set((await en.evaluate(() => document.body.innerText)).match(/[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]+/g) ?? [])];
  assert.deepEqual(words.filter((w) => !allowed.has(w)), [], 'Japanese left in the English page');
  assert.deepEqual(en.consoleErrors, []);
  await en.context().close();
});

test('readable at 1280×720 and at a phone width, the editor open; every field has a label', async () => {
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await page.goto(server.customerUrl + '/custom');
    await page.waitForSelector('#custom-sets li[data-set-name]');
    await page.click(`${setItem('来店数')} [data-action="edit"]`);
    await page.waitForSelector('#custom-form');
    await page.setInputFiles('#in-up-file', csvFile('visitors.csv', `t,value\n${D1},10\n`));
    await page.waitForSelector('#upload-preview');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `/custom at ${viewport.width}px scrolls sideways by ${overflow}px`);
    const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (els) => els
      .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.name || el.id));
    assert.deepEqual(unlabelled, [], 'fields without a label');
    // The analysis with the set over it and the picker open.
    await page.goto(`${server.customerUrl}/analytics/traffic?custom=${(await setByName('来店数')).id}`);
    await page.waitForSelector('#data-table td[data-key^="custom:"]');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 1, `the traffic with custom data at ${viewport.width}px scrolls sideways by ${wide}px`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  assert.deepEqual(page.consoleErrors, []);
});

test('a free account: the plan offer on /custom without a request, and a locked picker', async () => {
  const free = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-20) });
  const fp = await newPage(browser);
  await loginThroughPages(fp, server, free.id);
  const asked = [];
  fp.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/custom')) asked.push(r.url()); });
  await fp.click('#sidenav a[href="/custom"]');
  await fp.waitForSelector('#plan-offer');
  assert.equal(await fp.locator('#custom-sets').count(), 0);
  assert.equal(await fp.getAttribute('#plan-offer-link', 'href'), '/plan?need=standard');
  assert.equal(await fp.locator('#sidenav a[href="/custom"] .badge').count(), 1);
  assert.deepEqual(asked, [], 'no request for the offer');
  const r = await customer(fp, '/api/custom');
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'plan_required');

  await fp.goto(`${server.customerUrl}/analytics/traffic?custom=0123456789abcdef`);
  await fp.waitForSelector('#data-table tbody tr[data-t]');
  assert.equal(await fp.locator('#filters .custom-locked[data-plan="standard"] select[name="custom"][disabled]').count(), 1);
  assert.match(await fp.textContent('#filters .custom-locked'), /スタンダード/);
  assert.equal(await fp.locator('#filters input[name="custom"]').count(), 0);
  assert.equal(await fp.locator('#data-table td[data-key^="custom:"]').count(), 0, 'a free account never sends custom');
  assert.deepEqual(fp.consoleErrors, []);
  await fp.context().close();
});
