// Login and the account's own pages (SPEC §4, §6): wrong password, one session per ID (409 page),
// logout, the expired-session page after 30 idle minutes (test clock), the lock after five wrong
// passwords and its release through password reissue (mailed link), basic settings (a new email
// needs the current password), plan change.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, loginThroughPages, textOf, otpOf, PASSWORD } from './harness.mjs';

let server;
let browser;
let account;
before(async () => {
  server = await new Server({ clock: true }).start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'CLINIC03', email: 'clinic@example.com' });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const apiGetStatus = (page, path) => page.evaluate(async (url) => (await fetch(url)).status, path);

async function tryPassword(page, id, password) {
  await page.fill('#login-form [name="id"]', id);
  await page.fill('#login-form [name="password"]', password);
  await page.click('#login-form [type="submit"]');
}

test('a wrong password is refused with the server message', async () => {
  const page = await newPage(browser);
  await page.goto(server.customerUrl + '/login');
  await tryPassword(page, account.id, 'Wr0ngPassword');
  await page.waitForSelector('.alert.error');
  assert.match(await textOf(page, '.alert.error'), /正しくありません/);
  assert.equal(await page.isVisible('#otp-form'), false);
  // A right password resets the count for the next tests.
  await loginThroughPages(page, server, account.id);
  await page.click('#logout');
  await page.waitForSelector('#notice-logged-out');
  assert.deepEqual(page.consoleErrors, []);
});

test('one session per ID, logout, and the expired-session page', async () => {
  const first = await newPage(browser);
  await loginThroughPages(first, server, account.id);
  assert.equal(new URL(first.url()).pathname, '/dashboard');

  const second = await newPage(browser);
  await second.goto(server.customerUrl + '/login');
  await tryPassword(second, account.id, PASSWORD);
  await second.waitForSelector('#error-session-active');
  assert.match(await textOf(second, '#error-session-active'), /30/);

  await first.click('#logout');
  await first.waitForSelector('#notice-logged-out');
  assert.equal(new URL(first.url()).pathname, '/login');

  await loginThroughPages(second, server, account.id);
  await second.waitForSelector('#stat-today-calls[data-value]');   // the dashboard's own requests are done
  server.setClock(31 * 60);
  try {
    await second.click('a[href="/settings"]');
    await second.waitForSelector('#notice-expired');
    assert.equal(new URL(second.url()).pathname, '/login');
  } finally {
    server.setClock(0);
  }
  // A page that needs a session, opened without one, leads to the login and back after it.
  const third = await newPage(browser);
  await third.goto(server.customerUrl + '/settings');
  await third.waitForSelector('#login-form');
  await loginThroughPages(third, server, account.id, PASSWORD, { path: new URL(third.url()).pathname + new URL(third.url()).search });
  assert.equal(new URL(third.url()).pathname, '/settings');
  await third.click('#logout');
  await third.waitForSelector('#notice-logged-out');
  for (const p of [first, second, third]) assert.deepEqual(p.consoleErrors, []);
});

test('a login elsewhere takes the session over after the 409, and the old page says why', async () => {
  const first = await newPage(browser);
  await loginThroughPages(first, server, account.id);
  await first.waitForSelector('#stat-today-calls[data-value]');

  const second = await newPage(browser);
  await second.goto(server.customerUrl + '/login');
  await tryPassword(second, account.id, PASSWORD);
  await second.waitForSelector('#error-session-active #take-over');
  assert.match(await textOf(second, '#error-session-active'), /メール/);
  const before = server.mails().length;
  await second.click('#take-over');
  await second.waitForSelector('#otp-form #otp-take-over');
  const mail = await server.waitMail('ワンタイムパスワード', { after: before });
  assert.equal(await apiGetStatus(first, '/api/me'), 200, 'the first session stands until the code passes');
  await second.fill('#otp-form [name="code"]', otpOf(mail));
  await second.click('#otp-form [type="submit"]');
  await second.waitForURL((url) => url.pathname === '/dashboard', { timeout: 15000 });
  await server.waitMail('別の場所からのログイン', { after: before });

  await first.click('a[href="/settings"]');
  await first.waitForSelector('#notice-replaced');
  assert.equal(new URL(first.url()).pathname, '/login');
  assert.match(await textOf(first, '#notice-replaced'), /別のブラウザまたは端末/);

  await second.click('#logout');
  await second.waitForSelector('#notice-logged-out');
  for (const p of [first, second]) assert.deepEqual(p.consoleErrors, []);
});

test('basic settings and plan change through the pages', async () => {
  const page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
  await page.goto(server.customerUrl + '/settings');
  await page.fill('#settings-form [name="person"]', '設定 次郎');
  await page.fill('#settings-form [name="department"]', '受付');
  // A switch to English and back keeps what was typed.
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.inputValue('#settings-form [name="person"]'), '設定 次郎');
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'ja');
  assert.equal(await page.inputValue('#settings-form [name="department"]'), '受付');
  await page.click('#settings-form [type="submit"]');
  await page.waitForSelector('#settings-saved');
  let stored = (await server.admin('GET', `/admin/accounts/${account.id}`)).body;
  assert.equal(stored.person, '設定 次郎');
  assert.equal(stored.department, '受付');

  assert.equal(await page.isVisible('#field-current_password'), false, 'contact fields need no password');
  await page.fill('#settings-form [name="email"]', 'not an address');
  await page.click('#settings-form [type="submit"]');
  await page.waitForSelector('#error-email:not(:empty)');

  // A new email asks for the current password (SPEC §18): required, checked by the server, and a
  // notice goes to the old and the new address.
  await page.fill('#settings-form [name="email"]', 'clinic.new@example.com');
  await page.waitForSelector('#field-current_password:not(.hidden)');
  await page.click('#settings-form [type="submit"]');
  await page.waitForSelector('#error-current_password:not(:empty)');
  await page.fill('#settings-form [name="current_password"]', 'Wr0ngPassword');
  await page.click('#settings-form [type="submit"]');
  await page.waitForFunction(() => /パスワード/.test(document.querySelector('#error-current_password')?.textContent ?? ''));
  stored = (await server.admin('GET', `/admin/accounts/${account.id}`)).body;
  assert.equal(stored.email, 'clinic@example.com', 'a wrong password changes nothing');
  const mailsBefore = server.mails().length;
  await page.fill('#settings-form [name="current_password"]', PASSWORD);
  await page.click('#settings-form [type="submit"]');
  await page.waitForSelector('#settings-saved');
  stored = (await server.admin('GET', `/admin/accounts/${account.id}`)).body;
  assert.equal(stored.email, 'clinic.new@example.com');
  await server.waitMail('ご登録内容変更のお知らせ', { to: 'clinic@example.com', after: mailsBefore });
  await server.waitMail('ご登録内容変更のお知らせ', { to: 'clinic.new@example.com', after: mailsBefore });
  assert.equal(await page.isVisible('#field-current_password'), false, 'saved: the field hides again');
  // And back, for the tests that follow.
  await page.fill('#settings-form [name="email"]', 'clinic@example.com');
  await page.fill('#settings-form [name="current_password"]', PASSWORD);
  await page.click('#settings-form [type="submit"]');
  await page.waitForSelector('#field-current_password.hidden', { state: 'attached' });
  stored = (await server.admin('GET', `/admin/accounts/${account.id}`)).body;
  assert.equal(stored.email, 'clinic@example.com');

  await page.goto(server.customerUrl + '/plan');
  await page.waitForSelector('#plan-upgrade-form');
  await page.fill('#plan-upgrade-form [name="billing_phone"]', '03-1234-5678');
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.inputValue('#plan-upgrade-form [name="billing_phone"]'), '03-1234-5678');
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'ja');
  await page.click('#plan-upgrade-form [type="submit"]');
  await page.waitForSelector('#plan-changed');
  stored = (await server.admin('GET', `/admin/accounts/${account.id}`)).body;
  assert.equal(stored.plan, 'standard');

  await page.goto(server.customerUrl + '/plan');
  await page.waitForSelector('#plan-downgrade');
  assert.equal(await page.isDisabled('#plan-downgrade-button'), true, 'the downgrade needs the confirmation first');
  await page.check('#plan-downgrade-confirm');
  await page.click('#plan-downgrade-button');
  await page.waitForSelector('#plan-changed');
  stored = (await server.admin('GET', `/admin/accounts/${account.id}`)).body;
  assert.equal(stored.plan, 'free');
  await page.click('#logout');
  await page.waitForSelector('#notice-logged-out');
  assert.deepEqual(page.consoleErrors, []);
});

test('five wrong passwords lock the ID; password reissue unlocks it', async () => {
  const page = await newPage(browser);
  await page.goto(server.customerUrl + '/login');
  for (let i = 0; i < 5; i += 1) {
    await tryPassword(page, account.id, `Wr0ngPass${i}`);
    await page.waitForSelector('.alert.error');
  }
  await tryPassword(page, account.id, PASSWORD);
  await page.waitForSelector('#error-locked');
  await page.click('#error-locked a[href^="/password/reset"]');

  await page.waitForSelector('#reset-request-form');
  const before = server.mails().length;
  await page.fill('#reset-request-form [name="id"]', account.id);
  await page.fill('#reset-request-form [name="email"]', 'clinic@example.com');
  await page.click('#reset-request-form [type="submit"]');
  await page.waitForSelector('#reset-requested');
  const mail = await server.waitMail('パスワード再発行', { after: before });
  const path = /https?:\/\/[^/\s]+(\/password\/reset\/[A-Za-z0-9_-]+)/.exec(mail.body)[1];

  await page.goto(server.customerUrl + path);
  await page.fill('#reset-form [name="password"]', 'short');
  await page.fill('#reset-form [name="password_confirm"]', 'short');
  await page.click('#reset-form [type="submit"]');
  await page.waitForSelector('#error-password:not(:empty)');
  await page.fill('#reset-form [name="password"]', 'Neue2Passwort');
  await page.fill('#reset-form [name="password_confirm"]', 'Neue2Passwort');
  await page.click('#reset-form [type="submit"]');
  await page.waitForSelector('#reset-done');

  await loginThroughPages(page, server, account.id, 'Neue2Passwort');
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  assert.deepEqual(page.consoleErrors, []);
});

test('the keyboard alone logs in: Tab to the fields, Enter to send', async () => {
  const travel = await server.createAccount({ opid: 'TRAVEL04' });
  const page = await newPage(browser);
  await page.goto(server.customerUrl + '/login');
  await page.waitForSelector('#login-form');
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName);
  for (let i = 0; i < 12 && (await focused()) !== 'id'; i += 1) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'id', 'Tab reaches the ID field');
  await page.keyboard.type(travel.id);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'password');
  await page.keyboard.type(PASSWORD);
  const before = server.mails().length;
  await page.keyboard.press('Enter');
  await page.waitForSelector('#otp-form');
  for (let i = 0; i < 12 && (await focused()) !== 'code'; i += 1) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'code', 'the code field can be reached');
  await page.keyboard.type(otpOf(await server.waitMail('ワンタイムパスワード', { after: before })));
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/dashboard');
  assert.deepEqual(page.consoleErrors, []);
});
