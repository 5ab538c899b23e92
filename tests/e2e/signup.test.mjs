// Sign-up through the form (SPEC §3): rules checked as you type, the server's 422 errors shown at
// their fields, mail (1/3) read from the outbox, the confirmation page and its button, mails (2/3)
// and (3/3), then the first login with the mailed one-time password. An expired link explains
// what to do. Every page is checked for console errors (CSP violations show there).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, opidEntry, idOf, confirmPathOf, loginThroughPages, textOf, PASSWORD } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await new Server({ clock: true }).start();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const shop = opidEntry('SHOP0002');
const demo = opidEntry('DEMO0001');

async function fillApplication(page, { opid = 'SHOP0002', an = shop.ans[0].an, dn = shop.ans[0].dns[0], email = 'shop.owner@example.com' } = {}) {
  await page.fill('#signup-form [name="contractor_name"]', '株式会社ショップ試験');
  await page.selectOption('#signup-form [name="industry"]', '卸売業・小売業');
  await page.fill('#signup-form [name="phone"]', '03-1234-5678');
  await page.fill('#signup-form [name="department"]', 'お客様窓口');
  await page.fill('#signup-form [name="person"]', '試験 花子');
  await page.fill('#signup-form [name="email"]', email);
  await page.fill('#signup-form [name="opid"]', opid);
  await page.fill('#signup-form [name="an"]', an);
  await page.fill('#signup-form [name="dn"]', dn);
  await page.check('#signup-form [name="plan"][value="free"]');
  await page.fill('#signup-form [name="password"]', PASSWORD);
  await page.fill('#signup-form [name="password_confirm"]', PASSWORD);
  await page.check('#signup-form [name="auth_method"][value="otp"]');
}

test('the form checks the rules as you type', async () => {
  const page = await newPage(browser);
  await page.goto(server.customerUrl + '/signup');
  await page.fill('#signup-form [name="password"]', 'short');
  await page.locator('#signup-form [name="password"]').blur();
  await page.waitForSelector('#error-password:not(:empty)');
  assert.equal(await page.getAttribute('#signup-form [name="password"]', 'aria-invalid'), 'true');
  await page.fill('#signup-form [name="opid"]', 'bad opid!');
  await page.locator('#signup-form [name="opid"]').blur();
  await page.waitForSelector('#error-opid:not(:empty)');
  // Fixing the value clears the error.
  await page.fill('#signup-form [name="password"]', PASSWORD);
  await page.locator('#signup-form [name="password"]').blur();
  await page.waitForFunction(() => (document.querySelector('#error-password')?.textContent ?? '').trim() === '');
  // Billing fields appear for the standard plan only.
  assert.equal(await page.isVisible('#signup-form [name="billing_an"]'), false);
  await page.check('#signup-form [name="plan"][value="standard"]');
  assert.equal(await page.isVisible('#signup-form [name="billing_an"]'), true);
  assert.deepEqual(page.consoleErrors, []);
});

test('sign up, confirm through the mailed link, log in with the mailed OTP', async () => {
  const page = await newPage(browser);
  await page.goto(server.customerUrl + '/signup');
  // A DN of another OPID passes the form's own checks; the server's 422 shows at the field.
  await fillApplication(page, { dn: demo.ans[0].dns[0] });
  await page.click('#signup-form [type="submit"]');
  await page.waitForSelector('#error-dn:not(:empty)');
  assert.match(await textOf(page, '#error-dn'), /登録されていません/);
  assert.equal(server.mails().length, 0, 'nothing is sent on error');

  await page.fill('#signup-form [name="dn"]', shop.ans[0].dns[0]);
  await page.click('#signup-form [type="submit"]');
  await page.waitForSelector('#signup-done');
  const provisional = await server.waitMail('(1/3)');
  assert.equal(provisional.to, 'shop.owner@example.com');
  const confirmPath = confirmPathOf(provisional);
  assert.ok(confirmPath, provisional.body);

  await page.goto(server.customerUrl + confirmPath);
  await page.waitForSelector('#confirm-button');
  const summary = await textOf(page, 'dl.summary');
  assert.ok(summary.includes('株式会社ショップ試験') && summary.includes('SHOP0002'), summary);
  assert.ok(!summary.includes(PASSWORD), 'the summary never shows the password');
  await page.click('#confirm-button');
  await page.waitForSelector('#confirm-done');
  const accepted = await server.waitMail('(2/3)');
  const ready = await server.waitMail('(3/3)');
  assert.equal(accepted.to, 'shop.owner@example.com');
  const id = idOf(ready);
  assert.ok((await textOf(page, '#confirm-done')).includes(id), 'the page shows the issued ID');
  // The link opened again (SPEC §3, §14): already confirmed, said so, no second button.
  await page.goto(server.customerUrl + confirmPath);
  await page.waitForSelector('#already-confirmed');
  assert.equal(await page.locator('#confirm-button').count(), 0);
  assert.equal(await page.getAttribute('#already-confirmed a.button', 'href'), '/login');

  await loginThroughPages(page, server, id);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-cxs_session');
  assert.ok(cookie, 'session cookie set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(cookie.value), 'no session secret in web storage');
  assert.ok(!/csrf/i.test(stored), 'no CSRF token in web storage');
  assert.deepEqual(page.consoleErrors, []);
});

test('an expired link explains what to do, and English is one click away', async () => {
  const page = await newPage(browser);
  await page.goto(server.customerUrl + '/signup');
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const travel = opidEntry('TRAVEL04');
  await fillApplication(page, { opid: 'TRAVEL04', an: travel.ans[0].an, dn: '0399999999', email: 'travel@example.com' });
  await page.click('#signup-form [type="submit"]');
  await page.waitForSelector('#error-dn:not(:empty)');
  assert.match(await textOf(page, '#error-dn'), /not registered/, 'the server answers in English');
  await page.fill('#signup-form [name="dn"]', travel.ans[0].dns[0]);
  await page.click('#signup-form [type="submit"]');
  await page.waitForSelector('#signup-done');
  const mail = await server.waitMail('(1/3)', { to: 'travel@example.com' });

  server.setClock(25 * 3600);
  try {
    await page.goto(server.customerUrl + confirmPathOf(mail));
    await page.waitForSelector('#link-expired');
    assert.ok(await page.locator('#link-expired a[href="/signup"]').count() > 0, 'a way to apply again');
  } finally {
    server.setClock(0);
  }
  assert.deepEqual(page.consoleErrors, []);
});
