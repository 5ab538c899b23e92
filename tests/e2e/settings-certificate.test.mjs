// Client certificates in the basic settings (SPEC §4, §5, §16): an account on one-time passwords
// chooses 電子証明書 on /settings and reads what a save does (the download account and password
// by mail, the import before logging out, the next login, the revocation on the way back); saved
// with its current password, the page says the mail is on its way, the mail
// 【CX Support】電子証明書ダウンロードのご案内 arrives with the credentials and the session goes
// on; the #certificates section says there is none yet and links to /certsrv/. A certificate
// issued with those credentials through POST /certsrv/issue (from Node, as the download page does)
// is listed as valid and marked after a reload; a second one revokes it (失効済み with its date).
// The section in English; a failed list said in the page's words with a retry. With the browser's
// clock moved, the valid certificate's expiry within 30 days is pointed out, and past it the row is
// 期限切れ with the warning that no certificate is valid. Back to one-time passwords: the
// revocation explained before the save and said after it, the section gone, every certificate
// revoked for the server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, loginThroughPages, apiGet, textOf, until, downloadCredentialsOf, PASSWORD } from './harness.mjs';

const EMAIL = 'settings-cert@example.com';
const DOWNLOAD_SUBJECT = '【CX Support】電子証明書ダウンロードのご案内';
const DAY_MS = 24 * 60 * 60 * 1000;

let server;
let browser;
let account;
let page;

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'CLINIC03', email: EMAIL });
  page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The first mail after `after` whose subject holds `subject`, to EMAIL.
const mailTo = (subject, after) => until(`the mail "${subject}"`, () => server.mails().slice(after)
  .find((m) => m.subject.includes(subject) && (m.to ?? '').includes(EMAIL)));


// An instant's JST calendar date as the Japanese pages write it: 2027年12月3日.
function jaDate(iso) {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso)).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

// The section's rows: serial, state, marked as the one that logs in.
const rows = () => page.$$eval('#certificates tr.cert-row', (trs) => trs.map((r) => ({
  serial: r.dataset.serial, state: r.dataset.state, current: r.dataset.current === 'true' })));

async function openSettings() {
  await page.goto(server.customerUrl + '/settings');
  await page.waitForSelector('#settings-form');
}

// The list once loaded (not busy).
const listed = (selector) => page.waitForSelector(`#certificates[aria-busy="false"] ${selector}`, { timeout: 15000 });

let credentials;
let first;
let second;

test('an account on one-time passwords switches to certificate: what a save does, the mail, no certificate yet', async () => {
  await openSettings();
  assert.equal(await page.locator('#certificates').count(), 0, 'no certificate section on one-time passwords');
  assert.equal(await page.isVisible('#certificate-explain'), false, 'nothing explained before the choice');
  assert.doesNotMatch(await textOf(page, '#settings-form'), /準備中/);

  // Choosing the certificate explains what a save does, and asks for the current password.
  await page.check('#settings-form input[name="auth_method"][value="certificate"]');
  await page.waitForSelector('#certificate-explain', { state: 'visible' });
  const explained = await textOf(page, '#certificate-explain');
  assert.match(explained, /ダウンロードアカウントとダウンロードパスワード/);
  assert.match(explained, /ログアウトする前に/);
  assert.match(explained, /次回のログインから/);
  assert.match(explained, /ワンタイムパスワードに戻すと、このIDの電子証明書はすべて失効します/);
  await page.waitForSelector('#field-current_password:not(.hidden)');
  // Back to one-time passwords before saving: nothing to explain.
  await page.check('#settings-form input[name="auth_method"][value="otp"]');
  assert.equal(await page.isVisible('#certificate-explain'), false);
  await page.check('#settings-form input[name="auth_method"][value="certificate"]');

  // Saved with the current password: the page says the mail comes; the session goes on.
  const mails = server.mails().length;
  await page.fill('#settings-form [name="current_password"]', PASSWORD);
  await page.click('#settings-form [type="submit"]');
  await page.waitForSelector('#settings-cert-mail', { timeout: 15000 });
  await page.waitForSelector('#settings-saved');
  const said = await textOf(page, '#settings-cert-mail');
  assert.ok(said.includes(EMAIL), `the address: "${said}"`);
  assert.match(said, /メールでお送りしました/);
  assert.match(said, /ログアウトする前に/);
  assert.equal(await page.getAttribute('#settings-certsrv-link', 'href'), '/certsrv/');
  assert.equal(await page.getAttribute('#settings-certsrv-link', 'target'), '_self');
  assert.equal(await page.isVisible('#certificate-explain'), false, 'stored: nothing left to explain');
  assert.equal(await page.isVisible('#field-current_password'), false);
  assert.equal((await server.admin('GET', `/admin/accounts/${account.id}`)).body.auth_method, 'certificate');
  const me = await apiGet(page, '/api/me');
  assert.equal(me.status, 200, 'the session goes on');
  assert.equal(me.body.auth_method, 'certificate');

  // The mail with the download credentials, and the notice of the change.
  const mail = await mailTo(DOWNLOAD_SUBJECT, mails);
  assert.ok(mail.body.includes('/certsrv/'), 'the download URL');
  credentials = downloadCredentialsOf(mail);
  assert.ok(credentials, 'the mail names the download account and password');
  await mailTo('ご登録内容変更のお知らせ', mails);

  // The section: no certificate yet, the way to the download page.
  await listed('#certificates-empty');
  assert.match(await textOf(page, '#certificates-empty'), /ダウンロードページから取得してください/);
  assert.equal(await page.locator('#certificates tr.cert-row').count(), 0);
  assert.equal(await page.getAttribute('#certificates-certsrv-link', 'href'), '/certsrv/');
  assert.equal(await page.getAttribute('#certificates-certsrv-link', 'target'), '_self');
  assert.deepEqual((await apiGet(page, '/api/certificates')).body, { certificates: [] });
  assert.deepEqual(page.consoleErrors, []);
});

test('a certificate from the download site is listed as valid and marked; a second one revokes it', async () => {
  assert.ok(credentials, 'the switch test ran first');
  first = await server.issueCertificate(credentials);
  await openSettings();
  await listed(`tr.cert-row[data-serial="${first.serial}"]`);
  assert.deepEqual(await rows(), [{ serial: first.serial, state: 'valid', current: true }]);
  const row = `#certificates tr.cert-row[data-serial="${first.serial}"]`;
  const text = await textOf(page, row);
  assert.ok(text.includes(first.serial), 'the serial');
  assert.ok(text.includes(jaDate(first.not_after)), `the expiry as a JST date (${jaDate(first.not_after)}): "${text}"`);
  assert.match(text, /有効/);
  assert.equal(await page.locator(`${row}.marked[aria-current="true"]`).count(), 1, 'the one that logs in is marked');
  assert.equal(await page.locator('#certificates-expiring, #certificates-none-valid, #certificates-empty').count(), 0, 'a year left: no note');
  const api = (await apiGet(page, '/api/certificates')).body.certificates;
  assert.deepEqual(api.map((c) => [c.serial.toLowerCase(), c.revoked]), [[first.serial, null]], 'as GET /api/certificates');

  // A second certificate revokes the first: newest first, the old one 失効済み with its date.
  second = await server.issueCertificate(credentials);
  await page.reload();
  await listed(`tr.cert-row[data-serial="${second.serial}"]`);
  assert.deepEqual(await rows(), [
    { serial: second.serial, state: 'valid', current: true },
    { serial: first.serial, state: 'revoked', current: false },
  ]);
  const revoked = (await apiGet(page, '/api/certificates')).body.certificates.find((c) => c.serial.toLowerCase() === first.serial).revoked;
  assert.ok(revoked, 'revoked for the server');
  assert.ok((await textOf(page, `#certificates tr.cert-row[data-serial="${first.serial}"]`)).includes(`失効済み（${jaDate(revoked)}）`));
  assert.deepEqual(page.consoleErrors, []);
});

test('the section in English, and a list that cannot be read explained with a retry', async () => {
  await openSettings();
  await listed(`tr.cert-row[data-serial="${second.serial}"]`);
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await listed(`tr.cert-row[data-serial="${second.serial}"]`);
  const english = await textOf(page, '#certificates');
  assert.match(english, /Client certificates/);
  assert.match(english, /Valid/);
  assert.match(english, /Revoked \(\d{4}-\d{2}-\d{2}\)/);
  assert.doesNotMatch(english, /[\u3040-\u30ff\u3400-\u9fff]/, 'no Japanese in the English section');
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'ja');

  // A 503 on the list: the page's own words, what to do, a retry that reads it again.
  const route = (url) => url.pathname === '/api/certificates';
  await page.route(route, (r) => r.fulfill({ status: 503, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'storage', message: 'storage unavailable' } }) }));
  try {
    await page.reload();
    await listed('#certificates-error');
    const text = await textOf(page, '#certificates-error');
    assert.match(text, /電子証明書の一覧を読み込めませんでした/);
    assert.doesNotMatch(text, /storage unavailable|HTTP 503/);
    assert.equal(await page.locator('#certificates-loading').count(), 0, 'not left loading');
  } finally {
    await page.unroute(route);
  }
  await page.click('#certificates-retry');
  await listed(`tr.cert-row[data-serial="${second.serial}"]`);
  assert.equal(await page.locator('#certificates-error').count(), 0);
  // The routed 503 is a console line of Chromium's own (a failed resource); nothing else.
  assert.deepEqual(page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e)), []);
  page.consoleErrors.length = 0;
});

test('with the browser\'s clock near and past the expiry: the note of the last 30 days, then 期限切れ', async () => {
  // Only the page's clock moves (the server's list is the same): 10 days before the expiry.
  await page.clock.setFixedTime(new Date(Date.parse(second.not_after) - 10 * DAY_MS));
  await openSettings();
  await listed('#certificates-expiring');
  assert.equal(await page.getAttribute('#certificates-expiring', 'data-days'), '10');
  const note = await textOf(page, '#certificates-expiring');
  assert.ok(note.includes(jaDate(second.not_after)), note);
  assert.match(note, /あと10日/);
  assert.deepEqual((await rows())[0], { serial: second.serial, state: 'valid', current: true });

  // A day past it: expired, and no certificate that logs in.
  await page.clock.setFixedTime(new Date(Date.parse(second.not_after) + DAY_MS));
  await page.reload();
  await listed('#certificates-none-valid');
  assert.deepEqual(await rows(), [
    { serial: second.serial, state: 'expired', current: false },
    { serial: first.serial, state: 'revoked', current: false },
  ]);
  assert.match(await textOf(page, `#certificates tr.cert-row[data-serial="${second.serial}"]`), /期限切れ/);
  assert.equal(await page.locator('#certificates-expiring').count(), 0);
  assert.deepEqual(page.consoleErrors, []);
});

test('back to one-time passwords: the revocation said before and after, the section gone, every certificate revoked', async () => {
  await openSettings();
  await listed('tr.cert-row');
  assert.equal(await page.isVisible('#certificate-revoke-warning'), false);
  await page.check('#settings-form input[name="auth_method"][value="otp"]');
  await page.waitForSelector('#certificate-revoke-warning', { state: 'visible' });
  assert.match(await textOf(page, '#certificate-revoke-warning'), /すべて失効/);
  assert.equal(await page.isVisible('#certificate-explain'), false);

  const mails = server.mails().length;
  await page.fill('#settings-form [name="current_password"]', PASSWORD);
  await page.click('#settings-form [type="submit"]');
  await page.waitForSelector('#settings-cert-revoked', { timeout: 15000 });
  assert.match(await textOf(page, '#settings-cert-revoked'), /電子証明書はすべて失効しました/);
  await page.waitForSelector('#certificates', { state: 'detached', timeout: 15000 });
  assert.equal(await page.isVisible('#certificate-revoke-warning'), false);
  assert.equal((await server.admin('GET', `/admin/accounts/${account.id}`)).body.auth_method, 'otp');
  const stored = (await server.admin('GET', `/admin/accounts/${account.id}/certificates`)).body.certificates;
  assert.equal(stored.length, 2);
  assert.ok(stored.every((c) => c.revoked !== null), 'every certificate revoked');
  await mailTo('ご登録内容変更のお知らせ', mails);

  // A reload: still no section.
  await page.reload();
  await page.waitForSelector('#settings-form');
  assert.equal(await page.locator('#certificates').count(), 0);
  assert.deepEqual(page.consoleErrors, []);
});
