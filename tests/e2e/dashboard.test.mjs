// First views (SPEC §19) in the browser: an account without calls yet says on its dashboard when
// figures will appear and lists its numbers; "this month" is compared with last month up to the
// same day and hour (and today with last week's weekday up to the same hour), so a later call on
// that day last month is not counted; the annual view of a young account starts at its
// registration month and says so in its default range.
//
// The server runs on a test clock set to the 20th (the 21st when the real date is the 20th) of
// this month at 14:20 JST, so "now" is known. One page also fixes its own clock there (the page
// then takes the browser's hour); the other keeps the real clock, whose date differs from the
// server's, so the page takes the latest hour with calls today (14 as well).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, loginThroughPages, jstStart, opidEntry, textOf, until } from './harness.mjs';

const shop = opidEntry('SHOP0002');
const AN = shop.ans[0].an;
const DN = shop.ans[0].dns[0];
const travel = opidEntry('TRAVEL04');
const pad = (n) => String(n).padStart(2, '0');
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// 0120222333 → 0120-222-333, 08007654321 → 0800-765-4321 (as the pages write ANs).
const anText = (an) => `${an.slice(0, 4)}-${an.slice(4, 7)}-${an.slice(7)}`;

// "Now" on the server: this month (the real JST one), day 20 or 21, 14:20 JST.
const realJst = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
const [Y, M] = realJst.split('-').map(Number);
const DD = Number(realJst.slice(8, 10)) === 20 ? 21 : 20;
const TODAY = `${Y}-${pad(M)}-${pad(DD)}`;
const NOW = `${TODAY}T14:20:00+09:00`;
const lm = new Date(Date.UTC(Y, M - 2, 1));
const [LY, LM] = [lm.getUTCFullYear(), lm.getUTCMonth() + 1];
const lastMonth = (day) => `${LY}-${pad(LM)}-${pad(day)}`;
const thisMonth = (day) => `${Y}-${pad(M)}-${pad(day)}`;
const LAST_WEEK = thisMonth(DD - 7);

let server;
let browser;
let account;
let page;      // Japanese, the browser's clock fixed at NOW
let seq = 0;

const call = (date, hour, minute, result, an = AN, dn = DN) => {
  seq += 1;
  const done = result === 'completed';
  return { call_id: `dash-${seq}`, start: jstStart(date, hour, minute), an, dn: done ? dn : '', caller: `0312340${pad(seq)}0`,
    duration_s: done ? 60 + seq : 0, result };
};

before(async () => {
  server = await new Server({ clock: true }).start();
  server.setClock((Date.parse(NOW) - Date.now()) / 1000);
  browser = await launchBrowser();
  // Registered on the 1st of last month: young (the annual view starts there), old enough for last month's calls.
  account = await server.createAccount({ opid: 'SHOP0002', registered: lastMonth(1) });
  await server.ingest([
    // Last month up to the same day and hour: 3 calls, 2 completed.
    call(lastMonth(2), 11, 0, 'completed'),
    call(lastMonth(DD), 13, 0, 'completed'),
    call(lastMonth(DD), 14, 10, 'busy'),          // the same hour: counted
    // Later the same day and the next day: not counted.
    call(lastMonth(DD), 16, 0, 'completed'),
    call(lastMonth(DD + 1), 10, 0, 'completed'),
    // Last week's weekday: 2 calls up to 14:59 (both completed), one at 18:00.
    call(LAST_WEEK, 12, 0, 'completed'),
    call(LAST_WEEK, 14, 15, 'completed'),
    call(LAST_WEEK, 18, 0, 'busy'),
    // This month: the 3rd, and today before now (the latest at 14:05).
    call(thisMonth(3), 10, 0, 'busy'),
    call(TODAY, 9, 10, 'completed'),
    call(TODAY, 14, 5, 'busy'),
  ]);
  page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
  await page.clock.setFixedTime(new Date(Date.parse(NOW)));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const attr = async (p, selector, name) => p.getAttribute(selector, name).then((v) => (v === null ? null : Number(v)));

test('this month is compared with last month up to the same day and hour, today with last week up to the hour', async () => {
  await page.goto(server.customerUrl + '/dashboard');
  await page.waitForSelector('#stat-month-calls[data-before]');
  const month = await server.analytics(account.id, 'traffic', { from: thisMonth(1), to: TODAY });
  assert.equal(month.body.totals.calls, 6);
  assert.equal(await attr(page, '#stat-month-calls', 'data-value'), 6, 'A: all of this month so far');
  assert.equal(await attr(page, '#stat-month-calls', 'data-before'), 3, 'B: last month to the same day, 14:59 (not the 16:00 call, nor the next day)');
  assert.equal(await attr(page, '#stat-month-completion', 'data-value'), 0.5);
  assert.equal(await attr(page, '#stat-month-completion', 'data-before'), 0.6667, 'the rate of the summed calls of B');
  assert.equal(await attr(page, '#stat-today-calls', 'data-value'), 2);
  assert.equal(await attr(page, '#stat-today-calls', 'data-before'), 2, 'last week to 14:59, not its 18:00 call');
  assert.equal(await attr(page, '#stat-today-completion', 'data-before'), 1);
  const monthNote = await textOf(page, '#stat-month-calls .small');
  assert.match(monthNote, new RegExp(`先月の${LM}月1日〜${LM}月${DD}日 14時台までと比べて`));
  assert.match(await textOf(page, '#stat-month-completion .small'), /14時台まで/);
  assert.match(await textOf(page, '#stat-today-calls .small'), new RegExp(`先週の同じ曜日（${M}月${DD - 7}日）の14時台までと比べて`));
  assert.equal(await page.isVisible('#dashboard-empty'), false, 'an account with calls has no empty box');
  assert.deepEqual(page.consoleErrors, []);
});

test('in English, and on a browser clock whose date is not the server\'s (the latest hour with calls)', async () => {
  const en = await newPage(browser, { lang: 'en' });
  await en.context().addCookies(await page.context().cookies());   // the same session (one per ID)
  await en.goto(server.customerUrl + '/dashboard');
  await en.waitForSelector('#stat-month-calls[data-before]');
  assert.equal(await attr(en, '#stat-month-calls', 'data-before'), 3);
  assert.equal(await attr(en, '#stat-today-calls', 'data-before'), 2);
  assert.match(await textOf(en, '#stat-month-calls .small'),
    new RegExp(`vs last month up to the same day and hour: ${MONTHS_EN[LM - 1]} 1 – ${MONTHS_EN[LM - 1]} ${DD}, to 14:59`));
  assert.match(await textOf(en, '#stat-today-calls .small'), new RegExp(`\\(${MONTHS_EN[M - 1]} ${DD - 7}\\), to 14:59`));

  await en.goto(server.customerUrl + '/analytics/annual');
  await en.waitForSelector('#data-table tbody tr[data-t]');
  assert.equal(await textOf(en, '#filters [name="preset"] option[value=""]'), `Default (Since your first month, ${MONTHS_EN[LM - 1]} ${LY})`);
  assert.deepEqual(en.consoleErrors, []);
  await en.context().close();
});

test('the annual view of a young account starts at its registration month and says so', async () => {
  await page.goto(server.customerUrl + '/analytics/annual');
  await page.waitForSelector('#data-table tbody tr[data-t]');
  assert.equal(await textOf(page, '#filters [name="preset"] option[value=""]'), `標準（ご利用開始月の${LY}年${LM}月から）`);
  const months = await page.$$eval('#data-table tbody tr[data-t]', (rows) => rows.map((r) => r.getAttribute('data-t')));
  assert.equal(months[0], `${LY}-${pad(LM)}`, 'the first bucket is the registration month');
  assert.deepEqual(months, [`${LY}-${pad(LM)}`, `${Y}-${pad(M)}`]);
  const api = await server.analytics(account.id, 'traffic', { granularity: 'month' });
  assert.equal(api.body.series[0].t, `${LY}-${pad(LM)}`);
  assert.equal(api.body.series[0].calls, 5);
  assert.deepEqual(page.consoleErrors, []);
});

test('an account older than the retention keeps "the past 12 months"', async () => {
  const old = await server.createAccount({ opid: 'CLINIC03', registered: `${Y - 2}-${pad(M)}-01` });
  const p = await newPage(browser);
  await loginThroughPages(p, server, old.id);
  await p.goto(server.customerUrl + '/analytics/annual');
  await p.waitForSelector('#filters [name="preset"]');
  assert.equal(await textOf(p, '#filters [name="preset"] option[value=""]'), '標準（過去12ヶ月）');
  assert.deepEqual(p.consoleErrors, []);
  await p.context().close();
});

test('an account without calls yet says when figures will appear, lists its numbers, and the box goes with the first call', async () => {
  const fresh = await server.createAccount({ opid: 'TRAVEL04' });   // registered today (the server's)
  assert.equal(fresh.registered, TODAY);
  const p = await newPage(browser);
  await loginThroughPages(p, server, fresh.id);
  await p.goto(server.customerUrl + '/dashboard');
  await p.waitForSelector('#dashboard-empty');
  const box = await textOf(p, '#dashboard-empty');
  assert.match(box, /まだ通話のデータがありません/);
  assert.match(box, /通話記録が通信事業者から届きしだい/);
  for (const { an } of travel.ans) {
    assert.ok(box.includes(anText(an)), `${anText(an)} listed`);
    assert.equal(await p.locator(`#dashboard-empty [data-an="${an}"]`).count(), 1);
  }
  assert.ok(box.includes(`${Y}年${M}月${DD}日`), 'the registration date');
  assert.equal(await attr(p, '#stat-month-calls', 'data-value'), 0, 'the figures are there, at zero');

  await server.ingest([call(TODAY, 14, 0, 'completed', travel.ans[0].an, travel.ans[0].dns[0])]);
  await until('the box to go with the first call', async () => !(await p.isVisible('#dashboard-empty')), 20000, 250);
  assert.equal(await attr(p, '#stat-today-calls', 'data-value'), 1);
  assert.deepEqual(p.consoleErrors, []);
  await p.context().close();
});
