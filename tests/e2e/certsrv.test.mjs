// The certificate download page /certsrv/ (SPEC §5, §16): an account created on the certificate
// method gets its download account and password by mail; a browser with those Basic credentials
// sees its ID and no certificate yet, issues one (a PKCS#12 download cxs-<ID>.p12 that openssl
// opens with the password shown once, CN = the ID), issues again after the confirmation (the first
// one listed as revoked), signs its own CSR (cxs-<ID>.crt, verified against /certsrv/ca.pem), and
// gets a CSR of another CN refused at the field. The import steps follow the detected platform
// (headless Chromium on Linux) and the selector. A wrong download password is a 401. Errors put
// in the server's place (busy, internal, locked, 415) are said in Japanese with what to do, and
// leave no button disabled.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, launchBrowser, newPage, textOf, until, writeTemp, downloadCredentialsOf, PASSWORD } from './harness.mjs';

let server;
let browser;
let id;
let credentials;
const EMAIL = 'cert-shop@example.com';

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  const created = await server.admin('POST', '/admin/accounts', { opid: 'SHOP0002', plan: 'free', auth_method: 'certificate',
    password: PASSWORD, email: EMAIL, person: '試験 証明' });
  assert.equal(created.status, 201, created.text);
  id = created.body.id;
  // The download credentials come by mail: "ダウンロードアカウント: …" and "ダウンロードパスワード: …".
  const mail = await until('the download credentials mail', () => server.mails()
    .find((m) => (m.to ?? '').includes(EMAIL) && /ダウンロードパスワード: /.test(m.body)));
  credentials = downloadCredentialsOf(mail);
  assert.ok(credentials, 'the mail names the download account and password');
  assert.match(mail.body, /\/certsrv\//, 'the mail gives the page');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const tmp = (name) => join(server.tmp, name);
const openssl = (...args) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function openPage() {
  const page = await newPage(browser, { httpCredentials: credentials });
  const response = await page.goto(server.customerUrl + '/certsrv/');
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  await page.waitForSelector(`#cxs-id[data-id="${id}"]`);
  await page.waitForSelector('#cert-list[aria-busy="false"]');
  return page;
}

// The rows of the certificate list: [{serial, state, text}], newest first.
const rows = (page) => page.$$eval('#cert-table tr.cert-row', (trs) => trs.map((tr) => ({
  serial: tr.getAttribute('data-serial'), state: tr.getAttribute('data-state'), text: tr.textContent })));

async function waitRows(page, n) {
  await page.waitForFunction((count) => document.querySelector('#cert-list')?.getAttribute('aria-busy') === 'false'
    && document.querySelectorAll('#cert-table tr.cert-row').length === count, n, { timeout: 15000 });
  return rows(page);
}

// Clicks `selector` and returns the download it starts, saved under the test's folder.
async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.click(selector)]);
  const file = tmp(`${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), file };
}

// Console errors other than the failed loads the routes make on purpose (a 5xx).
const realConsoleErrors = (page) => page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e));

test('a wrong download password is refused with 401', async () => {
  const page = await newPage(browser, { httpCredentials: { username: credentials.username, password: 'WrongPassword1' } });
  try {
    const response = await page.goto(server.customerUrl + '/certsrv/');
    assert.equal(response.status(), 401);
    assert.match(await textOf(page, 'body'), /ダウンロードアカウントまたはダウンロードパスワードが正しくありません/);
  } finally {
    await page.context().close();
  }
});

test('the ID, no certificate yet, then a PKCS#12 file and its password shown once', async () => {
  const page = await openPage();
  assert.equal((await textOf(page, '#cxs-id')).trim(), id);
  await page.waitForSelector('#cert-empty');
  assert.match(await textOf(page, '#cert-empty'), /証明書はまだありません/);
  assert.equal(await page.locator('#issue-warning .alert').count(), 0, 'no warning without a valid certificate');

  // No valid certificate: the button issues at once.
  const p12 = await downloadOf(page, '#issue-button');
  assert.equal(p12.name, `cxs-${id}.p12`);
  await page.waitForSelector('#issue-done');
  const password = (await textOf(page, '#p12-password')).trim();
  assert.equal(password.length, 16, 'a 16-character password');
  assert.match(await textOf(page, '#p12-password-note'), /二度と表示できません/);
  assert.match(await textOf(page, '#p12-password-note'), /両方が必要/);
  const certs = openssl('pkcs12', '-in', p12.file, '-passin', `pass:${password}`, '-nokeys');
  assert.match(certs, new RegExp(`CN ?= ?${id}\\b`), 'the certificate is for the ID');
  assert.match(certs, /CX Support Root/);

  // The copy button says what it did (copied, or selected for Ctrl+C).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.customerUrl).origin }).catch(() => {});
  await page.click('#copy-password');
  await page.waitForFunction(() => (document.querySelector('#copy-status')?.textContent ?? '') !== '');

  // The list now holds it, valid.
  const list = await waitRows(page, 1);
  assert.equal(list[0].state, 'valid');
  assert.match(list[0].text, /有効/);
  assert.equal(list[0].serial, await page.getAttribute('#issue-done', 'data-serial'));
  await page.waitForSelector('#issue-warning .alert');
  assert.equal(await page.isEnabled('#issue-button'), true);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a new certificate revokes the previous one, after the confirmation', async () => {
  const page = await openPage();
  const before = await waitRows(page, 1);
  assert.equal(before[0].state, 'valid');

  // A valid certificate: the button asks first; "やめる" issues nothing.
  let issued = 0;
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/certsrv/issue') issued += 1; });
  await page.click('#issue-button');
  await page.waitForSelector('#issue-confirm-box');
  assert.match(await textOf(page, '#issue-confirm-box'), /失効/);
  await page.click('#issue-cancel');
  await page.waitForSelector('#issue-confirm-box', { state: 'detached' });
  assert.equal(issued, 0, 'nothing was sent');

  await page.click('#issue-button');
  const p12 = await downloadOf(page, '#issue-confirm');
  assert.equal(p12.name, `cxs-${id}.p12`);
  await page.waitForSelector('#issue-done');
  const password = (await textOf(page, '#p12-password')).trim();
  assert.equal(password.length, 16);
  assert.match(openssl('pkcs12', '-in', p12.file, '-passin', `pass:${password}`, '-nokeys'), new RegExp(`CN ?= ?${id}\\b`));

  const list = await waitRows(page, 2);
  assert.deepEqual(list.map((r) => r.state), ['valid', 'revoked'], 'the newest valid, the previous one revoked');
  assert.equal(list[1].serial, before[0].serial);
  assert.match(list[1].text, /失効済み/);
  const listed = (await server.admin('GET', `/admin/accounts/${id}/certificates`)).body.certificates;
  assert.equal(listed.filter((c) => c.revoked === null).length, 1, 'one valid certificate on the server too');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('a certificate for the customer\'s own key (CSR); another CN refused at the field', async () => {
  const page = await openPage();
  await waitRows(page, 2);
  const command = (await textOf(page, '#csr-command')).trim();
  assert.equal(command, `openssl req -new -newkey rsa:2048 -nodes -keyout cxs-${id}.key -subj "/CN=${id}" -out cxs-${id}.csr`);

  let sent = 0;
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/certsrv/csr') sent += 1; });
  // Nothing typed, or a private key chosen: said at the field, nothing sent.
  await page.click('#csr-submit');
  await page.waitForSelector('#csr-error[data-code="csr_empty"]');
  const key = tmp('own.key');
  const csr = tmp('own.csr');
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', `/CN=${id}`, '-out', csr);
  await page.setInputFiles('#csr-file', key);
  await page.waitForSelector('#csr-error[data-code="private_key"]');
  assert.doesNotMatch(await page.inputValue('#csr-text'), /PRIVATE KEY/);
  assert.equal(sent, 0, 'no request for an empty field or a key');

  // The request pasted: confirmed (a valid certificate exists), signed, downloaded.
  await page.fill('#csr-text', readFileSync(csr, 'utf8'));
  await page.click('#csr-submit');
  await page.waitForSelector('#csr-confirm-box');
  const crt = await downloadOf(page, '#csr-confirm');
  assert.equal(crt.name, `cxs-${id}.crt`);
  const pem = readFileSync(crt.file, 'utf8');
  assert.ok(pem.startsWith('-----BEGIN CERTIFICATE-----'), 'a PEM certificate');
  assert.match(openssl('x509', '-in', crt.file, '-noout', '-subject'), new RegExp(`CN ?= ?${id}\\b`));
  await page.waitForSelector('#csr-done');
  assert.equal((await textOf(page, '#csr-bundle-command')).trim(),
    `openssl pkcs12 -export -inkey cxs-${id}.key -in cxs-${id}.crt -out cxs-${id}.p12`);
  assert.equal(await page.getAttribute('#ca-link', 'href'), '/certsrv/ca.pem');
  // The CA of the link signed it, and it belongs to the customer's key.
  const ca = await page.context().request.get(server.customerUrl + '/certsrv/ca.pem');
  assert.equal(ca.status(), 200);
  const caFile = writeTemp(server, 'ca.pem', await ca.text());
  assert.match(openssl('verify', '-CAfile', caFile, crt.file), /: OK/);
  assert.equal(openssl('x509', '-in', crt.file, '-noout', '-pubkey'), openssl('pkey', '-in', key, '-pubout'));
  const list = await waitRows(page, 3);
  assert.deepEqual(list.map((r) => r.state), ['valid', 'revoked', 'revoked']);

  // A request for another CN, chosen as a file: the server's csr_subject at the field.
  const otherKey = tmp('other.key');
  const other = tmp('other.csr');
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', otherKey, '-subj', '/CN=SomeoneElse', '-out', other);
  await page.setInputFiles('#csr-file', other);
  await page.waitForFunction(() => document.querySelector('#csr-text')?.value.includes('BEGIN CERTIFICATE REQUEST'));
  await page.click('#csr-submit');
  await page.click('#csr-confirm');
  await page.waitForSelector('#csr-error[data-code="csr_subject"]');
  assert.notEqual((await textOf(page, '#csr-error')).trim(), '');
  assert.equal(await page.getAttribute('#csr-text', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'csr-text');
  assert.equal(await page.isEnabled('#csr-submit'), true);
  assert.equal((await rows(page)).length, 3, 'nothing issued');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('the import steps for the detected platform, and the others from the selector', async () => {
  const page = await openPage();
  // Headless Chromium on Linux.
  assert.equal(await page.inputValue('#import-platform'), 'chrome-linux');
  assert.match(await textOf(page, '#import-platform option[value="chrome-linux"]'), /お使いの環境/);
  await page.waitForSelector('#import-steps[data-platform="chrome-linux"]');
  let steps = await textOf(page, '#import-steps');
  assert.match(steps, /chrome:\/\/settings\/certificates/);
  assert.match(steps, new RegExp(`cxs-${id}\\.p12`), 'the file named with the ID');
  assert.match(await textOf(page, '#import-finish'), /ブラウザが証明書の選択を求めたら/);

  const expected = {
    'firefox-windows': [/証明書を表示/, /あなたの証明書/],
    'edge-windows': [/証明書のインポート ウィザード/, /現在のユーザー/, /自動的に証明書ストアを選択する/],
    'safari-macos': [/キーチェーンアクセス/, /ログイン/],
    'chrome-macos': [/キーチェーンアクセス/],
    'firefox-linux': [/あなたの証明書/],
  };
  for (const [key, patterns] of Object.entries(expected)) {
    await page.selectOption('#import-platform', key);
    await page.waitForSelector(`#import-steps[data-platform="${key}"]`);
    steps = await textOf(page, '#import-steps');
    for (const p of patterns) assert.match(steps, p, `${key}: ${p}`);
  }
  assert.doesNotMatch(steps, /chrome:\/\//, 'the steps changed');
  assert.equal(await page.getAttribute('#login-link', 'href'), '/login');
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('errors are said in Japanese with what to do, and no button is left disabled', async () => {
  const page = await openPage();
  await waitRows(page, 3);
  const answer = (status, body, headers = {}) => (route) => route.fulfill({
    status, contentType: 'application/json', headers, body: JSON.stringify(body) });
  const cases = [
    { status: 503, body: { error: { code: 'busy', message: 'ただいま混み合っています。' } }, headers: { 'Retry-After': '5' }, has: [/混み合って/, /5秒/] },
    { status: 500, body: { error: { code: 'internal', message: '内部エラーが発生しました。', request_id: '0123456789abcdef' } },
      has: [/内部エラー/, /受付番号: 0123456789abcdef/, /お問い合わせ/] },
    { status: 423, body: { error: { code: 'download_locked', message: 'ダウンロードパスワードを5回続けて間違えたため、このダウンロードアカウントは30分間ご利用いただけません。' } },
      has: [/30分間/, /再読み込み/] },
  ];
  for (const c of cases) {
    await page.route('**/certsrv/issue', answer(c.status, c.body, c.headers));
    await page.click('#issue-button');
    await page.click('#issue-confirm');
    await page.waitForSelector(`#issue-error[data-status="${c.status}"]`);
    const text = await textOf(page, '#issue-error');
    for (const p of c.has) assert.match(text, p, `${c.status}: ${p}`);
    assert.doesNotMatch(text, /HTTP \d/);
    assert.equal(await page.isEnabled('#issue-button'), true, `${c.status}: the button is back`);
    assert.equal(await page.getAttribute('#issue-button', 'aria-busy'), null);
    await page.unroute('**/certsrv/issue');
  }
  // A 415 on the CSR: the page's own words, the button back.
  await page.route('**/certsrv/csr', answer(415, { error: { code: 'unsupported_media_type', message: 'Unsupported media type. Content-Type: application/pkcs10' } }));
  await page.fill('#csr-text', '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n');
  await page.click('#csr-submit');
  await page.click('#csr-confirm');
  await page.waitForSelector('#csr-request-error[data-status="415"]');
  assert.match(await textOf(page, '#csr-request-error'), /形式/);
  assert.equal(await page.isEnabled('#csr-submit'), true);
  await page.unroute('**/certsrv/csr');
  // The list could not be read: said, with a way to try again that works.
  await page.route('**/certsrv/status', answer(503, { error: { code: 'busy', message: 'ただいま混み合っています。' } }));
  await page.reload();
  await page.waitForSelector('#status-error');
  assert.match(await textOf(page, '#status-error'), /一覧を読み込めませんでした/);
  await page.unroute('**/certsrv/status');
  await page.click('#status-retry');
  await waitRows(page, 3);
  assert.equal(await page.locator('#status-error').count(), 0);
  assert.deepEqual(realConsoleErrors(page), []);
  await page.context().close();
});
