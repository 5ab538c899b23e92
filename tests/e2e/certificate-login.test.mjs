// Certificate login through the pages (SPEC §4, §16, §19): two accounts created on the certificate
// method get their download credentials by mail and each a PKCS#12 file from POST /certsrv/issue
// (issued from Node, as the download page would). Chromium presents a file through Playwright's
// `clientCertificates` (Playwright makes the TLS connection to the customer listener with it).
// With its own certificate the ID and password alone log in: no one-time password step, no mail,
// the dashboard (or the page asked for), GET /api/me of that ID. Without a certificate the login
// page explains certificate_required in Japanese with the link to /certsrv/ (which opens the
// download page, outside the app); another ID's certificate is certificate_mismatch; after a 409
// "ここでログインする" logs in at once and the other session is replaced; a certificate revoked
// by the operator is certificate_revoked, and one past its year (test clock) certificate_expired.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, apiGet, textOf, until, writeTemp, downloadCredentialsOf, PASSWORD } from './harness.mjs';

// The server's messages (domain/messages.cpp), Japanese.
const REQUIRED = 'このIDは電子証明書でログインする設定ですが、ブラウザから電子証明書が送られませんでした。電子証明書を取り込んだうえでブラウザをいったん閉じて開き直し、ログイン時に表示される証明書の選択で「CX Support」の証明書を選んでください。証明書をまだお持ちでない場合は、メールでお知らせした電子証明書ダウンロードページから取得してください。';
const MISMATCH = 'ブラウザから送られた電子証明書は、このIDのものではありません。';
const REVOKED = 'ブラウザから送られた電子証明書は失効しています';
const EXPIRED = 'ブラウザから送られた電子証明書は有効期限が切れています。';

let server;
let browser;
let origin;
// { id, email, credentials: {username, password}, cert: {pfxPath, passphrase, serial} }
const shop = { opid: 'SHOP0002', email: 'cert-login-shop@example.com' };
const clinic = { opid: 'CLINIC03', email: 'cert-login-clinic@example.com' };


// An account on the certificate method, its download credentials from the mail, and a PKCS#12
// file issued with them (written under the test's folder).
async function certificateAccount(account) {
  const created = await server.admin('POST', '/admin/accounts', { opid: account.opid, plan: 'free', auth_method: 'certificate',
    password: PASSWORD, email: account.email, person: '試験 証明' });
  assert.equal(created.status, 201, created.text);
  account.id = created.body.id;
  const mail = await until(`the download credentials mail of ${account.opid}`, () => server.mails()
    .find((m) => (m.to ?? '').includes(account.email) && /ダウンロードパスワード: /.test(m.body)));
  const credentials = downloadCredentialsOf(mail);
  assert.ok(credentials, 'the mail names the download account and password');
  account.credentials = credentials;

  const issued = await server.issueCertificate(credentials);
  assert.equal(typeof issued.pkcs12, 'string');
  const pfxPath = writeTemp(server, `cxs-${account.id}.p12`, Buffer.from(issued.pkcs12, 'base64'));
  account.cert = { pfxPath, passphrase: issued.password, serial: issued.serial };
}

before(async () => {
  server = await new Server({ clock: true }).start();
  browser = await launchBrowser();
  origin = new URL(server.customerUrl).origin;
  await certificateAccount(shop);
  await certificateAccount(clinic);
});
after(async () => {
  server?.setClock?.(0);
  await browser?.close();
  await server?.stop();
});

// A browser context that presents `cert` to the customer listener (none when null).
const pageWith = (cert, options = {}) => newPage(browser, {
  ...options, ...(cert ? { clientCertificates: [{ origin, pfxPath: cert.pfxPath, passphrase: cert.passphrase }] } : {}) });

async function submitLogin(page, id, { path = '/login' } = {}) {
  if (path) await page.goto(server.customerUrl + path);
  await page.waitForSelector('#login-form');
  await page.fill('#login-form [name="id"]', id);
  await page.fill('#login-form [name="password"]', PASSWORD);
  await page.click('#login-form [type="submit"]');
}

const otpMailsSince = (count) => server.mails().slice(count).filter((m) => m.subject.includes('ワンタイムパスワード'));

// The certificate box of a refused login: its code, the link to the download page, the form usable.
async function assertCertificateBox(page, code, message) {
  await page.waitForSelector(`#error-certificate[data-code="${code}"]`, { timeout: 15000 });
  const text = await textOf(page, '#error-certificate');
  assert.ok(text.includes(message), `${code}: the server's message: "${text}"`);
  assert.match(text, /ブラウザを閉じるまで覚えています/, `${code}: why the browser must be restarted`);
  assert.match(text, /ダウンロードアカウントとダウンロードパスワード/, `${code}: what the download page asks for`);
  assert.equal(await page.locator('#error-certificate a[href="/certsrv/"]').count(), 1, `${code}: the link to the download page`);
  assert.equal(await page.locator('#otp-form').count(), 0, `${code}: no one-time password step`);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.isEnabled('#login-form [type="submit"]'), true, `${code}: the button is back`);
  return text;
}

test('with its certificate the ID and password alone log in: no one-time password, no mail', async () => {
  const page = await pageWith(shop.cert);
  await page.goto(server.customerUrl + '/login');
  await page.waitForSelector('#login-form');
  // The line for certificate users under the form.
  assert.match(await textOf(page, '#login-certificate'), /電子証明書でログインする方へ/);
  assert.equal(await page.getAttribute('#login-certsrv-link', 'href'), '/certsrv/');
  assert.equal(await page.getAttribute('#login-import-help-link', 'href'), '/certsrv/#import-card');

  let otpRequests = 0;
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/login/otp') otpRequests += 1; });
  const mailsBefore = server.mails().length;
  await submitLogin(page, shop.id, { path: null });
  await page.waitForURL((url) => url.pathname === '/dashboard', { timeout: 15000 });
  await page.waitForSelector('#logout');
  const me = await apiGet(page, '/api/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.id, shop.id);
  assert.equal(me.body.auth_method, 'certificate');
  assert.equal(otpRequests, 0, 'no one-time password step');
  assert.deepEqual(otpMailsSince(mailsBefore), [], 'no one-time password mail');

  // The session's CSRF token works for a state-changing request: the logout.
  await page.click('#logout');
  await page.waitForSelector('#notice-logged-out');
  assert.equal((await apiGet(page, '/api/me')).status, 401);

  // A page opened without a session leads to the login and back to it, as after a one-time password.
  await page.goto(server.customerUrl + '/settings');
  await page.waitForSelector('#login-form');
  await submitLogin(page, shop.id, { path: null });
  await page.waitForURL((url) => url.pathname === '/settings', { timeout: 15000 });
  await page.waitForSelector('#settings-form');
  assert.equal((await apiGet(page, '/api/me')).body?.id, shop.id);
  await page.click('#logout');
  await page.waitForSelector('#notice-logged-out');
  assert.equal(otpRequests, 0);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('without a certificate: certificate_required in Japanese, with the way to /certsrv/', async () => {
  // The context answers the download page's Basic challenge, to follow the box's link.
  const page = await pageWith(null, { httpCredentials: shop.credentials });
  await submitLogin(page, shop.id);
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  await assertCertificateBox(page, 'certificate_required', REQUIRED);
  assert.equal((await apiGet(page, '/api/me')).status, 401, 'no session');

  // The link leaves the app for the download page itself.
  await page.click('#error-certificate a[href="/certsrv/"]');
  await page.waitForURL((url) => url.pathname === '/certsrv/', { timeout: 15000 });
  await page.waitForSelector(`#cxs-id[data-id="${shop.id}"]`, { timeout: 15000 });
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('another ID\'s certificate is certificate_mismatch; it logs its own ID in', async () => {
  const page = await pageWith(clinic.cert);
  await submitLogin(page, shop.id);
  await assertCertificateBox(page, 'certificate_mismatch', MISMATCH);
  assert.equal((await apiGet(page, '/api/me')).status, 401, 'no session');

  // The same browser, its own ID: in.
  await submitLogin(page, clinic.id, { path: null });
  await page.waitForURL((url) => url.pathname === '/dashboard', { timeout: 15000 });
  assert.equal((await apiGet(page, '/api/me')).body?.id, clinic.id);
  await page.click('#logout');
  await page.waitForSelector('#notice-logged-out');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a login elsewhere with the certificate takes the session over at once after the 409', async () => {
  const first = await pageWith(shop.cert);
  await submitLogin(first, shop.id);
  await first.waitForURL((url) => url.pathname === '/dashboard', { timeout: 15000 });
  await first.waitForSelector('#logout');

  const second = await pageWith(shop.cert);
  await submitLogin(second, shop.id);
  await second.waitForSelector('#error-session-active #take-over', { timeout: 15000 });
  assert.equal((await apiGet(first, '/api/me')).status, 200, 'the first session stands until the take-over');
  const mailsBefore = server.mails().length;
  await second.click('#take-over');
  await second.waitForURL((url) => url.pathname === '/dashboard', { timeout: 15000 });
  await second.waitForSelector('#logout');
  assert.equal((await apiGet(second, '/api/me')).body?.id, shop.id);
  assert.equal(await second.locator('#otp-form').count(), 0);
  assert.deepEqual(otpMailsSince(mailsBefore), [], 'no one-time password mail');
  await server.waitMail('別の場所からのログイン', { after: mailsBefore });

  await first.click('a[href="/settings"]');
  await first.waitForSelector('#notice-replaced');
  assert.equal(new URL(first.url()).pathname, '/login');

  await second.click('#logout');
  await second.waitForSelector('#notice-logged-out');
  for (const p of [first, second]) {
    assert.deepEqual(p.consoleErrors, []);
    await p.context().close();
  }
});

test('a certificate the operator revoked is certificate_revoked', async () => {
  const revoked = await server.admin('POST', `/admin/accounts/${shop.id}/certificates/${shop.cert.serial}/revoke`);
  assert.equal(revoked.status, 200, revoked.text);
  const listed = (await server.admin('GET', `/admin/accounts/${shop.id}/certificates`)).body.certificates;
  assert.notEqual(listed.find((c) => c.serial.toLowerCase() === shop.cert.serial.toLowerCase())?.revoked ?? null, null, 'listed as revoked');

  const page = await pageWith(shop.cert);
  await submitLogin(page, shop.id);
  await assertCertificateBox(page, 'certificate_revoked', REVOKED);
  assert.equal((await apiGet(page, '/api/me')).status, 401, 'no session');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

// Last: it moves the server's clock past the certificates' year.
test('a certificate past its year is certificate_expired', async () => {
  server.setClock(400 * 86400);
  try {
    const page = await pageWith(clinic.cert);
    await submitLogin(page, clinic.id);
    await assertCertificateBox(page, 'certificate_expired', EXPIRED);
    assert.equal((await apiGet(page, '/api/me')).status, 401, 'no session');
    assert.deepEqual(page.consoleErrors, []);
    await page.context().close();
  } finally {
    server.setClock(0);
  }
});
