// The English switch covers every page: a browser that prefers English (or a `?lang=en` link, or
// the switch) gets every label, hint, state and chart legend in English. Japanese may remain only
// where it is data or a name: the switch back to 日本語, and the industries of SPEC §14, whose
// Japanese label is the value sent.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, loginThroughPages, jstDate, jstStart, opidEntry } from './harness.mjs';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]+/g;
const ALLOWED = new Set(['日本語', '製造業', '建設業', '情報通信業', '運輸業・郵便業', '卸売業・小売業', '金融業・保険業', '不動産業',
  '宿泊業・飲食サービス業', '医療・福祉', '教育・学習支援業', 'サービス業', '公務', 'その他']);

let server;
let browser;
before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function japaneseOn(page) {
  const text = await page.evaluate(() => document.body.innerText);
  return [...new Set(text.match(JAPANESE) ?? [])].filter((w) => !ALLOWED.has(w));
}

test('pages without a session are English for an English browser', async () => {
  const page = await newPage(browser, { lang: 'en' });
  for (const path of ['/login', '/signup', '/password/reset', '/signup/confirm/' + 'A'.repeat(43), '/no-such-page']) {
    await page.goto(server.customerUrl + path);
    await page.waitForSelector('main h1');
    await page.waitForLoadState('networkidle');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', path);
    assert.deepEqual(await japaneseOn(page), [], `${path}: Japanese left in the English page`);
  }
  // The form's own messages in English keep acronyms whole.
  await page.goto(server.customerUrl + '/signup');
  await page.click('#signup-form [type="submit"]');
  await page.waitForSelector('#error-opid:not(:empty)');
  assert.match(await page.textContent('#error-opid'), /the OPID/);
  assert.match(await page.textContent('#error-an'), /the FD\/ND number/);
  assert.deepEqual(await japaneseOn(page), []);
  assert.deepEqual(page.consoleErrors, []);
});

test('every page of a logged-in account is English, data and empty states included', async () => {
  const shop = opidEntry('SHOP0002');
  const account = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-60), email: 'en@example.com' });
  await server.ingest([{ call_id: 'en-1', start: jstStart(jstDate(-2), 10), an: shop.ans[0].an, dn: shop.ans[0].dns[0], duration_s: 90, result: 'completed' },
    { call_id: 'en-2', start: jstStart(jstDate(-2), 11), an: shop.ans[0].an, result: 'busy' }]);
  const page = await newPage(browser, { lang: 'en' });
  await loginThroughPages(page, server, account.id);
  const paths = ['/dashboard', '/analytics/traffic', '/analytics/annual', '/analytics/compare', '/analytics/incomplete',
    `/analytics/traffic?from=${jstDate(-50)}&to=${jstDate(-40)}`, '/analytics/origin', '/analytics/lines', '/report', '/groups', '/custom', '/users', '/settings',
    '/plan', '/plan?need=standard', '/no-such-page'];
  for (const path of paths) {
    await page.goto(server.customerUrl + path);
    await page.waitForSelector('main h1');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await japaneseOn(page), [], `${path}: Japanese left in the English page`);
  }
  assert.deepEqual(page.consoleErrors, []);
});
