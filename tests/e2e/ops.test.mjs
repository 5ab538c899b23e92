// The operators' live page /ops on the admin listener (SPEC §17): the token form (a wrong token
// refused, the right one traded for an HttpOnly cookie, nothing in web storage), the live figures
// following load between two refreshes (ingest rows/s, the account among the busiest, the charts
// fed from the polls), the account list (every account as the console opens, a search by part of
// an ID, OPID or AN, "Show more" pages, an ID opens its card; the exact look-up by ID, OPID and a
// hyphenated AN), plan changes through the form with the server's 422 at its field, the support
// actions of SPEC §19 (unlock after five wrong passwords, end a customer's session after a
// confirmation, the login method to certificate and back, cancel a pending sign-up), the card's
// client certificates (SPEC §16: the list, revoke after a confirmation, new download credentials
// mailed), logout, and a session that ends under the page (polling stops, the token form is back).
// No sideways scrolling at 1280 px, no console errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, until, textOf, jstDate, jstStart, loginThroughPages, confirmPathOf, downloadCredentialsOf, PASSWORD }
  from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const OPS_COOKIE = '__Host-cxs_ops';
const RESULTS = ['completed', 'completed', 'busy', 'completed', 'no_answer'];

let server;
let browser;
let account;
let accounts;               // every account of the server, SHOP0002's (`account`) among them
let page;
const statsRequests = [];   // when the page asked for /admin/stats (ms)
let loggedInAt = 0;         // statsRequests.length when the live view opened

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-30) });
  // The demo registry's other parent OPIDs, for the account list.
  accounts = [account];
  for (const opid of ['DEMO0001', 'CLINIC03', 'TRAVEL04']) accounts.push(await server.createAccount({ opid }));
  page = await newPage(browser, { lang: 'en' });
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/admin/stats') statsRequests.push(Date.now()); });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// n new calls of yesterday (JST) to the account's ANs.
let seq = 0;
function calls(n) {
  return Array.from({ length: n }, (_, i) => {
    seq += 1;
    const result = RESULTS[seq % RESULTS.length];
    return { call_id: `ops-${seq}`, start: jstStart(jstDate(-1), 9 + (i % 8), i % 60), an: i % 2 ? '08001234567' : '0120222333',
      dn: result === 'completed' ? '0362701111' : '', caller: `0312345${String(seq % 1000).padStart(3, '0')}`,
      duration_s: result === 'completed' ? 60 : 0, result };
  });
}

const opsCookie = async () => (await page.context().cookies()).find((c) => c.name === OPS_COOKIE && c.value !== '');
const num = async (selector, attr = 'data-value') => Number(await page.getAttribute(selector, attr));
const rowIds = () => page.$$eval('#accounts-table tbody tr[data-id]', (rows) => rows.map((r) => r.dataset.id));
const cardIds = () => page.$$eval('#lookup-results .account-card', (cards) => cards.map((c) => c.dataset.id));
const idOfOpid = (opid) => accounts.find((a) => a.opid === opid).id;

async function submitToken(token) {
  await page.fill('#token', token);
  await page.click('#login-form [type="submit"]');
}

async function lookUp(q) {
  await page.fill('#lookup-q', q);
  await page.click('#lookup-form [type="submit"]');
  await page.waitForFunction((text) => {
    const c = document.querySelector('#lookup-count, #lookup-none');
    return c && c.textContent.includes(text) && !document.querySelector('#lookup-results.loading');
  }, q, { timeout: 15000 });
}

// Submits the search box as it is and waits for the list of `q` (its count or its empty state).
async function listed(q) {
  await page.click('#lookup-form [type="submit"]');
  await page.waitForFunction((text) => {
    const c = document.querySelector('#lookup-count, #lookup-none');
    return c && c.dataset.q === text && !document.querySelector('#lookup-results.loading');
  }, q, { timeout: 15000 });
}

// The rows of the list against accounts of GET /admin/accounts, in the same order.
async function assertRows(list, what) {
  assert.deepEqual(await rowIds(), list.map((a) => a.id), what);
  for (const a of list) {
    const row = `#accounts-table tr[data-id="${a.id}"]`;
    assert.equal(await page.getAttribute(`${row} [data-key="opid"]`, 'data-value'), a.opid, what);
    assert.equal(await page.getAttribute(`${row} [data-key="plan"]`, 'data-value'), a.plan, what);
    assert.deepEqual((await page.getAttribute(`${row} [data-key="ans"]`, 'data-value')).split(',').filter(Boolean), a.ans, what);
    assert.equal(await num(`${row} [data-key="sessions"]`), a.sessions, what);
    assert.equal(await page.getAttribute(`${row} [data-key="last_ingest"]`, 'data-value'), a.last_ingest ?? '', what);
  }
}

test('a wrong token is refused; the right one opens the live view, kept in an HttpOnly cookie only', async () => {
  const response = await page.goto(server.adminUrl + '/ops');
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  await page.waitForSelector('#login-form #token', { timeout: 15000 });
  assert.equal(await page.getAttribute('#token', 'type'), 'password');
  assert.equal(await page.getAttribute('#token', 'autocomplete'), 'off');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await submitToken('not-the-operator-token');
  await page.waitForSelector('#token[aria-invalid="true"]', { timeout: 15000 });
  assert.match(await textOf(page, '#token-error'), /not the operator token/);
  assert.equal(await opsCookie(), undefined, 'no cookie for a wrong token');
  assert.equal(await page.isVisible('#live'), false);

  await submitToken(server.token);
  await page.waitForSelector('#live #stat-accounts-live[data-value]', { timeout: 15000 });
  loggedInAt = statsRequests.length;
  const cookie = await opsCookie();
  assert.ok(cookie, 'the operator session cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/');
  assert.notEqual(cookie.value, server.token, 'the cookie is a session, not the token');
  const seen = await page.evaluate(() => ({
    cookie: document.cookie, local: localStorage.length, session: sessionStorage.length,
    stored: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }), html: document.documentElement.outerHTML,
  }));
  assert.doesNotMatch(seen.cookie, /cxs_ops/, 'the cookie is not visible to scripts');
  assert.equal(seen.local, 0, 'nothing in localStorage');
  assert.equal(seen.session, 0, 'nothing in sessionStorage');
  assert.ok(!seen.stored.includes(server.token) && !seen.html.includes(server.token), 'the token is nowhere in the page');

  // The figures: headline, both charts drawn, the tables filled.
  const api = (await server.admin('GET', '/admin/stats')).body;
  assert.equal(await num('#stat-accounts-live') + await num('#stat-accounts-passivated'), api.accounts.live + api.accounts.passivated);
  assert.equal(await num('#stat-sessions'), api.sessions);
  await page.waitForSelector('#chart-requests canvas', { timeout: 15000 });
  await page.waitForSelector('#chart-ingest canvas', { timeout: 15000 });
  await page.waitForSelector('#routes tr[data-key="admin /admin/stats"]', { timeout: 15000 });
  for (const id of ['#actors', '#storage', '#connections']) assert.ok(await page.locator(`${id} tbody tr[data-key]`).count() > 0, `${id} rows`);

  // The account list shows every account as the console opens, in OPID order, without a card.
  await page.waitForSelector('#lookup-count[data-q=""]', { timeout: 15000 });
  const list = (await server.admin('GET', '/admin/accounts')).body;
  assert.equal(list.total, 4);
  assert.equal(list.next, null);
  assert.deepEqual(list.accounts.map((a) => a.opid), ['CLINIC03', 'DEMO0001', 'SHOP0002', 'TRAVEL04']);
  assert.equal(await num('#lookup-count', 'data-total'), list.total);
  assert.equal(await textOf(page, '#lookup-count'), '4 accounts');
  await assertRows(list.accounts, 'the list on open');
  const shopAns = await textOf(page, `#accounts-table tr[data-id="${account.id}"] [data-key="ans"]`);
  assert.ok(shopAns.includes('0120-222-333') && shopAns.includes('0800-123-4567'), `ANs written with hyphens (${shopAns})`);
  assert.equal(await page.isVisible('#accounts-more'), false, 'no "Show more" on the last page');
  assert.deepEqual(await cardIds(), []);
  assert.deepEqual(page.consoleErrors, []);
});

test('the figures follow the load between two refreshes, at least every 2 s', async () => {
  const pollsBefore = await num('#live', 'data-polls');
  assert.equal(await page.locator(`#busiest tr[data-key="${account.id}"]`).count(), 0, 'not busy before the load');
  // The load runs until the page shows it: a batch of CDRs and two analyses each second (bounded).
  let lastLoad = 0;
  await until('the load on the page', async () => {
    if (Date.now() - lastLoad > 1000) {
      lastLoad = Date.now();
      await server.ingest(calls(25));
      for (let i = 0; i < 2; i += 1) assert.equal((await server.analytics(account.id, 'traffic', {})).status, 200);
    }
    return await num('#stat-ingest-rows') > 0 && await page.locator(`#busiest tr[data-key="${account.id}"]`).count() > 0;
  }, 20000, 200);
  assert.ok(await num('#live', 'data-polls') > pollsBefore, 'seen on a later refresh');
  assert.ok(await num('#ingest tr[data-key="accepted"] td[data-key="rows_per_s"]') > 0, 'accepted rows/s');
  assert.ok(await num('#ingest tr[data-key="accepted"] td[data-key="rows"]') >= 25);
  assert.ok(await num('#routes tr[data-key="admin /admin/ingest"] td[data-key="requests"]') >= 1);
  assert.ok(await num('#stat-requests') > 0);
  assert.ok(await num('#chart-ingest', 'data-points') >= 2, 'the chart holds the polls');

  // The busiest account's link fills the look-up.
  await page.click(`#busiest a[data-id="${account.id}"]`);
  await page.waitForSelector(`#lookup-results .account-card[data-id="${account.id}"]`, { timeout: 15000 });
  assert.equal(await page.inputValue('#lookup-q'), account.id);

  // Polled start to start every 2 s while the tab is visible (the login's own answer, then the polls).
  await until('four polls', () => statsRequests.length - loggedInAt >= 4, 15000, 100);
  const times = statsRequests.slice(loggedInAt - 1);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  assert.ok(Math.max(...gaps) <= 2600 && Math.min(...gaps) >= 1500, `stats asked every 2 s (gaps ${gaps.join(', ')} ms)`);
  assert.deepEqual(page.consoleErrors, []);
});

test('look-up by ID, by OPID and by a hyphenated AN', async () => {
  for (const q of [account.id, 'SHOP0002', '0800-123-4567', '0120222333']) {
    await lookUp(q);
    const card = `#lookup-results .account-card[data-id="${account.id}"]`;
    assert.equal(await page.locator('#lookup-results .account-card').count(), 1, q);
    const api = (await server.admin('GET', `/admin/accounts?q=${encodeURIComponent(q)}`)).body;
    assert.equal(api.accounts.length, 1, q);
    assert.equal(api.total, 1, q);
    assert.deepEqual(await rowIds(), [account.id], q);
    const a = api.accounts[0];
    assert.equal(a.id, account.id);
    assert.equal(await page.getAttribute(card, 'data-plan'), 'free');
    assert.deepEqual((await page.getAttribute(`${card} dd[data-key="ans"]`, 'data-value')).split(',').sort(), [...a.ans].sort());
    assert.equal(await num(`${card} dd[data-key="sessions"]`), a.sessions);
    assert.equal(await num(`${card} dd[data-key="children"]`), a.children);
    assert.equal(await page.getAttribute(`${card} dd[data-key="last_ingest"]`, 'data-value'), a.last_ingest);
    assert.ok(a.last_ingest, 'the ingest is remembered');
    assert.match(await textOf(page, `${card} dd[data-key="last_ingest"]`), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST/);
    assert.match(await textOf(page, `${card} dd[data-key="ans"]`), /0800-123-4567/);
  }
  await lookUp('NOPE0000');
  assert.match(await textOf(page, '#lookup-none'), /NOPE0000/);
  assert.deepEqual(await rowIds(), []);
  assert.equal(await page.isVisible('#accounts-table'), false);
  assert.deepEqual((await server.admin('GET', '/admin/accounts?q=NOPE0000')).body, { accounts: [], total: 0, next: null });
  assert.deepEqual(page.consoleErrors, []);
});

test('the account list: part of an OPID or an AN filters it, an ID opens its card, "Show more" pages', async () => {
  const api = async (query) => {
    const r = await server.admin('GET', `/admin/accounts?${query}`);
    assert.equal(r.status, 200, query);
    return r.body;
  };

  // Part of an OPID, in another letter case: one match, its card opens at once.
  await lookUp('demo');
  let answer = await api('q=demo');
  assert.deepEqual(answer.accounts.map((a) => a.opid), ['DEMO0001']);
  await assertRows(answer.accounts, 'demo');
  assert.equal(await num('#lookup-count', 'data-total'), answer.total);
  assert.equal(await textOf(page, '#lookup-count'), '1 account matches “demo”');
  assert.deepEqual(await cardIds(), [idOfOpid('DEMO0001')]);

  // Part of an AN (0570-555-666 of DEMO0001, 0570-111-222 of CLINIC03), with a hyphen: two
  // matches in OPID order, no card until an ID is chosen.
  await lookUp('05-70');
  answer = await api(`q=${encodeURIComponent('05-70')}`);
  assert.deepEqual(answer.accounts.map((a) => a.opid), ['CLINIC03', 'DEMO0001']);
  assert.equal(answer.total, 2);
  await assertRows(answer.accounts, '05-70');
  assert.equal(await num('#lookup-count', 'data-total'), 2);
  assert.equal(await textOf(page, '#lookup-count'), '2 accounts match “05-70”');
  assert.deepEqual(await cardIds(), []);

  // An ID in the list opens its card below the list, one card at a time; "Close" gives the focus back.
  for (const opid of ['DEMO0001', 'CLINIC03']) {
    const id = idOfOpid(opid);
    await page.click(`#accounts-table tr[data-id="${id}"] .account-link`);
    await page.waitForSelector(`#lookup-results .account-card[data-id="${id}"]`, { timeout: 15000 });
    assert.deepEqual(await cardIds(), [id], opid);
    assert.equal(await page.getAttribute(`#accounts-table tr[data-id="${id}"]`, 'aria-current'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('.account-card')?.dataset.id), id, 'the focus on the card');
    assert.ok(await page.evaluate(() => Boolean(document.querySelector('#accounts-table')
      .compareDocumentPosition(document.querySelector('.account-card')) & Node.DOCUMENT_POSITION_FOLLOWING)), 'the card below the list');
    assert.equal(await page.getAttribute(`#lookup-results .account-card[data-id="${id}"] dd[data-key="ans"]`, 'data-value'),
      answer.accounts.find((a) => a.id === id).ans.join(','));
  }
  await page.click('#account-close');
  assert.deepEqual(await cardIds(), []);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.id), idOfOpid('CLINIC03'), 'the focus back on the ID');

  // An empty search lists every account again.
  await page.fill('#lookup-q', '');
  await listed('');
  answer = await api('');
  assert.equal(answer.total, accounts.length);
  await assertRows(answer.accounts, 'an empty search');
  assert.equal(await textOf(page, '#lookup-count'), '4 accounts');

  // Pages through the API: `limit`, `after`, `total`, `next` (the OPID to start after); a bad limit is a 400.
  const pages = [];
  for (let after = null; ;) {
    const p = await api(`limit=3${after === null ? '' : `&after=${encodeURIComponent(after)}`}`);
    assert.equal(p.total, accounts.length);
    pages.push(p.accounts.map((a) => a.opid));
    if (p.next === null) break;
    assert.equal(p.next, p.accounts.at(-1).opid);
    after = p.next;
  }
  assert.deepEqual(pages, [['CLINIC03', 'DEMO0001', 'SHOP0002'], ['TRAVEL04']]);
  const one = await api('q=0120&limit=1');
  assert.deepEqual([one.accounts.map((a) => a.opid), one.total, one.next], [['CLINIC03'], 3, 'CLINIC03']);
  for (const limit of ['0', '201', 'ten']) {
    const bad = await server.admin('GET', `/admin/accounts?limit=${limit}`);
    assert.equal(bad.status, 400, `limit=${limit}`);
    assert.equal(typeof bad.body.error?.message, 'string', `limit=${limit}`);
  }

  // "Show more" in the page. It asks for pages of 50 (PAGE_SIZE in web/src/ops/lookup.ts), more than
  // there are accounts here, so each request is let through with limit=2 instead.
  const asked = [];
  const accountList = (url) => url.pathname === '/admin/accounts';
  await page.route(accountList, (route) => {
    const url = new URL(route.request().url());
    asked.push(Object.fromEntries(url.searchParams));
    url.searchParams.set('limit', '2');
    return route.continue({ url: url.toString() });
  });
  try {
    // ANs with 0120: DEMO0001's, SHOP0002's and CLINIC03's, not TRAVEL04's.
    answer = await api('q=0120');
    assert.deepEqual(answer.accounts.map((a) => a.opid), ['CLINIC03', 'DEMO0001', 'SHOP0002']);
    const firstPage = await api('q=0120&limit=2');
    await page.fill('#lookup-q', '0120');
    await listed('0120');
    assert.deepEqual(asked.at(-1), { q: '0120', limit: '50' });
    await assertRows(answer.accounts.slice(0, 2), 'the first page');
    assert.equal(await num('#lookup-count', 'data-total'), 3);
    assert.equal(await num('#lookup-count', 'data-shown'), 2);
    assert.equal(await textOf(page, '#lookup-count'), '3 accounts match “0120” · 2 shown');
    assert.equal(await page.isVisible('#accounts-more'), true, '"Show more" while `next` is set');

    await page.click('#accounts-more');
    await page.waitForSelector('#lookup-count[data-shown="3"]', { timeout: 15000 });
    assert.deepEqual(asked.at(-1), { q: '0120', after: firstPage.next, limit: '50' });
    await assertRows(answer.accounts, 'after "Show more"');
    assert.equal(await textOf(page, '#lookup-count'), '3 accounts match “0120”');
    await page.waitForSelector('#accounts-more', { state: 'hidden', timeout: 15000 });
  } finally {
    await page.unroute(accountList);
  }
  assert.deepEqual(page.consoleErrors, []);
});

test('plan changes through the form: the 422 at its field, standard, then free with the tick', async () => {
  const id = account.id;
  const card = `#lookup-results .account-card[data-id="${id}"]`;
  const plan = async () => (await server.admin('GET', `/admin/accounts/${id}`)).body;
  await lookUp(id);
  assert.equal(await page.isChecked(`#plan-standard-${id}`), true, 'a free account is offered standard');
  await page.selectOption(`#plan-billing-an-${id}`, '08001234567');
  await page.fill(`#plan-billing-phone-${id}`, '');
  await page.click(`#plan-submit-${id}`);
  await page.waitForSelector(`#plan-billing-phone-${id}[aria-invalid="true"]`, { timeout: 15000 });
  assert.ok((await textOf(page, `#plan-billing-phone-${id}-error`)).trim().length > 0, 'the server message at the phone field');
  assert.equal((await plan()).plan, 'free');

  await page.fill(`#plan-billing-phone-${id}`, '03-1234-5678');
  await page.click(`#plan-submit-${id}`);
  await page.waitForSelector('#plan-changed[data-plan="standard"]', { timeout: 15000 });
  await page.waitForSelector(`${card}[data-plan="standard"]`, { timeout: 15000 });
  let now = await plan();
  assert.equal(now.plan, 'standard');
  assert.equal(now.billing_an, '08001234567');
  assert.equal(now.billing_phone, '0312345678');

  // A change with the cookie but without X-CXS-Ops is refused (the page always sends it).
  const csrf = await page.evaluate((path) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ plan: 'free', confirm: true }) }).then(async (r) => ({ status: r.status, body: await r.json() })), `/admin/accounts/${id}/plan`);
  assert.equal(csrf.status, 403);
  assert.equal(csrf.body.error.code, 'csrf');
  assert.equal((await plan()).plan, 'standard');

  // To free: without the tick the server asks for the confirmation, at the tick.
  assert.equal(await page.isChecked(`#plan-free-${id}`), true, 'a standard account is offered free');
  await page.click(`#plan-submit-${id}`);
  await page.waitForSelector(`#plan-confirm-${id}[aria-invalid="true"]`, { timeout: 15000 });
  assert.ok((await textOf(page, `#plan-confirm-${id}-error`)).trim().length > 0);
  assert.equal((await plan()).plan, 'standard');
  await page.check(`#plan-confirm-${id}`);
  await page.click(`#plan-submit-${id}`);
  await page.waitForSelector('#plan-changed[data-plan="free"]', { timeout: 15000 });
  await page.waitForSelector(`${card}[data-plan="free"]`, { timeout: 15000 });
  now = await plan();
  assert.equal(now.plan, 'free');
  assert.equal(now.billing_an, undefined);

  // The page with a look-up open does not scroll sideways at 1280 px.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 1280 px (${overflow} px)`);
  assert.deepEqual(page.consoleErrors, []);
});

// The support actions (SPEC §19). They run before the logout test, which ends the operator's
// session. A customer is a browser context of its own on the customer listener; its API requests
// go through the context's request client, which carries the context's session cookie.

// Two OPIDs that are not the demo registry's (all of whose parents have an account here): one for an
// account created on the certificate method, one for a pending sign-up application.
const SUPPORT_OPID = 'SUPPORT05';
const SIGNUP_OPID = 'SIGNUP06';
const SIGNUP_AN = '08009876543';
let registryPatched = false;
async function patchRegistry() {
  if (registryPatched) return;
  const r = await server.admin('PATCH', '/admin/registry', { opids: [
    { opid: SUPPORT_OPID, parent: true, ans: [{ an: '0120987654', dns: ['0352000005'] }] },
    { opid: SIGNUP_OPID, parent: true, ans: [{ an: SIGNUP_AN, dns: ['0352000006'] }] },
  ] });
  assert.equal(r.status, 200, r.text);
  registryPatched = true;
}

const customerApi = (customer, method, path, data) =>
  customer.context().request.fetch(server.customerUrl + path, { method, ...(data === undefined ? {} : { data }) });

// The support status after an action: its line for `action` (the line is emptied as an action starts).
async function supportStatus(action) {
  const line = `#support-status [data-action="${action}"]`;
  await page.waitForSelector(line, { timeout: 15000 });
  return { result: await page.getAttribute(line, 'data-result'), text: (await textOf(page, line)).trim() };
}

test('support: "Unlock" lifts the lockout of five wrong passwords', async () => {
  const id = idOfOpid('CLINIC03');
  const customer = await newPage(browser);
  try {
    const login = (password) => customerApi(customer, 'POST', '/api/login', { id, password });
    await lookUp(id);
    assert.equal(await page.getAttribute('#support-part', 'data-id'), id, 'the support part of the open card');

    // Nothing to lift yet.
    await page.click('#support-unlock');
    assert.deepEqual(await supportStatus('unlock'), { result: 'not_locked', text: 'It was not locked.' });

    // Five wrong passwords lock the ID: the right one is refused too.
    for (let i = 0; i < 5; i += 1) assert.equal((await login(`Wr0ngPass${i}`)).status(), 401, `wrong password ${i + 1}`);
    const locked = await login(PASSWORD);
    assert.equal(locked.status(), 423);
    assert.equal((await locked.json()).error.code, 'locked');

    await page.click('#support-unlock');
    assert.deepEqual(await supportStatus('unlock'), { result: 'was_locked', text: 'Unlocked — it was locked.' });
    const mails = server.mails().length;
    const after = await login(PASSWORD);
    assert.equal(after.status(), 200, 'the right password is taken at once');
    assert.equal((await after.json()).second_factor, 'otp');
    // Its code is mailed (waited for here, so that no later login takes it for its own).
    await server.waitMail('ワンタイムパスワード', { to: 'clinic03@example.com', after: mails });

    // Lifted and forgotten: a second unlock finds nothing.
    await page.click('#support-unlock');
    assert.deepEqual(await supportStatus('unlock'), { result: 'not_locked', text: 'It was not locked.' });
    assert.equal((await server.admin('POST', '/admin/accounts/Zz9Zz9Zz9Z/unlock', {})).status, 404);
  } finally {
    await customer.context().close();
  }
  assert.deepEqual(page.consoleErrors, []);
});

test('support: "End session" asks first, then logs the customer out; the sessions figure follows', async () => {
  const id = idOfOpid('TRAVEL04');
  const card = `#lookup-results .account-card[data-id="${id}"]`;
  const customer = await newPage(browser);
  try {
    await loginThroughPages(customer, server, id);
    const me = async () => (await customerApi(customer, 'GET', '/api/me')).status();
    assert.equal(await me(), 200, 'logged in');
    await lookUp(id);
    assert.equal(await num(`${card} dd[data-key="sessions"]`), 1);

    // The first click only asks; "Keep it" keeps the session.
    await page.click('#support-end-session');
    await page.waitForSelector('#support-end-session-confirm', { state: 'visible', timeout: 15000 });
    assert.equal(await page.getAttribute('#support-end-session', 'aria-expanded'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'support-end-session-confirm', 'the focus on the question');
    assert.equal(await me(), 200, 'nothing ended before the confirmation');
    await page.click('#support-end-session-cancel');
    await page.waitForSelector('#support-end-session-confirm', { state: 'hidden', timeout: 15000 });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'support-end-session', 'the focus back on the button');
    assert.equal(await me(), 200, 'kept');

    await page.click('#support-end-session');
    await page.click('#support-end-session-confirm');
    assert.deepEqual(await supportStatus('end-session'), { result: 'ended', text: 'The session ended.' });
    await page.waitForSelector(`${card} dd[data-key="sessions"][data-value="0"]`, { timeout: 15000 });
    assert.equal(await page.getAttribute(`#accounts-table tr[data-id="${id}"] [data-key="sessions"]`, 'data-value'), '0', 'the row too');
    assert.equal((await server.admin('GET', `/admin/accounts?q=${id}`)).body.accounts[0].sessions, 0);
    const next = await customerApi(customer, 'GET', '/api/me');
    assert.equal(next.status(), 401, "the customer's next request");
    assert.equal((await next.json()).error.code, 'unauthenticated');

    // Nothing live any more.
    await page.click('#support-end-session');
    await page.click('#support-end-session-confirm');
    assert.deepEqual(await supportStatus('end-session'), { result: 'none', text: 'No session was live.' });
  } finally {
    await customer.context().close();
  }
  assert.deepEqual(page.consoleErrors, []);
});

// Client certificates (SPEC §16) from Node: the download credentials of a mail, a certificate
// issued with them through POST /certsrv/issue on the customer listener (as the download page does).
const DOWNLOAD_SUBJECT = '【CX Support】電子証明書ダウンロードのご案内';
const mailTo = (subject, email, after) => until(`the mail "${subject}" to ${email}`, () => server.mails().slice(after)
  .find((m) => m.subject.includes(subject) && (m.to ?? '').includes(email)));
// Any mail to `email` that carries download credentials.
const credentialsMailTo = (email) => until(`the download credentials of ${email}`, () => server.mails()
  .find((m) => (m.to ?? '').includes(email) && /ダウンロードパスワード: /.test(m.body)));
function credentialsOf(mail) {
  const credentials = downloadCredentialsOf(mail);
  assert.ok(credentials, 'the mail names the download account and password');
  return credentials;
}
// The certificates block's rows: serial, state, and whether it offers "Revoke".
const certificateRows = () => page.$$eval('#ops-certificates tr.cert-row', (rows) => rows.map((r) => ({
  serial: r.dataset.serial, state: r.dataset.state, revoke: !!r.querySelector('button.cert-revoke') })));
const storedCertificates = async (id) => (await server.admin('GET', `/admin/accounts/${id}/certificates`)).body.certificates;
// The certificates status after an action: its line for `action`.
async function certificatesStatus(action) {
  const line = `#ops-certificates-status [data-action="${action}"]`;
  await page.waitForSelector(line, { timeout: 15000 });
  return { result: await page.getAttribute(line, 'data-result'), text: (await textOf(page, line)).trim() };
}

test('support: the login method to certificate (credentials mailed) and the card\'s certificates: list, revoke, new credentials', async () => {
  await patchRegistry();
  const id = idOfOpid('DEMO0001');
  const email = 'demo0001@example.com';
  const card = (a) => `#lookup-results .account-card[data-id="${a}"]`;
  await lookUp(id);
  assert.equal(await page.inputValue('#support-auth-method'), 'otp', 'the current method preselected');
  // On one-time passwords: no certificate, no credentials to send.
  await page.waitForSelector('#ops-certificates #ops-certificates-empty', { timeout: 15000 });
  assert.equal(await page.getAttribute('#ops-certificates', 'data-id'), id);
  assert.equal(await page.isVisible('#ops-send-credentials'), false);

  // A refusal of the method (routed here: the server takes both methods) is shown at the field.
  const route = (url) => url.pathname === `/admin/accounts/${id}/auth_method`;
  await page.route(route, (r) => r.fulfill({ status: 422, contentType: 'application/json',
    body: JSON.stringify({ errors: [{ field: 'auth_method', code: 'invalid', message: 'auth_method must be otp or certificate' }] }) }));
  try {
    await page.selectOption('#support-auth-method', 'certificate');
    await page.click('#support-auth-submit');
    await page.waitForSelector('#support-auth-method[aria-invalid="true"]', { timeout: 15000 });
    assert.equal((await textOf(page, '#support-auth-method-error')).trim(), 'auth_method must be otp or certificate');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'support-auth-method');
    assert.ok(await page.locator('#support-auth-errors .alert.error').count() > 0, 'the refusal above the field');
    assert.equal(await page.locator('#support-status [data-action="auth-method"]').count(), 0, 'no success line');
  } finally {
    await page.unroute(route);
  }
  assert.equal((await server.admin('GET', `/admin/accounts/${id}`)).body.auth_method, 'otp');

  // To certificate: taken, the notice and the download credentials mailed, the card follows.
  let mails = server.mails().length;
  await page.selectOption('#support-auth-method', 'certificate');
  await page.click('#support-auth-submit');
  const toCertificate = await supportStatus('auth-method');
  assert.equal(toCertificate.result, 'changed');
  assert.match(toCertificate.text, /download credentials/);
  await page.waitForSelector(`${card(id)} dd[data-key="auth_method"][data-value="certificate"]`, { timeout: 15000 });
  assert.equal((await server.admin('GET', `/admin/accounts/${id}`)).body.auth_method, 'certificate');
  assert.match(await textOf(page, '#support-auth-method option[value="certificate"]'), /current/);
  const credentials = credentialsOf(await mailTo(DOWNLOAD_SUBJECT, email, mails));
  await mailTo('ご登録内容変更のお知らせ', email, mails);
  await page.waitForSelector('#ops-send-credentials', { state: 'visible', timeout: 15000 });

  // Two certificates from the download site (the second revokes the first), then the list read again.
  const first = await server.issueCertificate(credentials);
  const second = await server.issueCertificate(credentials);
  await page.click('#ops-certificates-reload');
  await page.waitForSelector(`#ops-certificates tr.cert-row[data-serial="${second.serial}"][data-state="valid"]`, { timeout: 15000 });
  assert.deepEqual(await certificateRows(), [
    { serial: second.serial, state: 'valid', revoke: true },
    { serial: first.serial, state: 'revoked', revoke: false },
  ]);
  assert.deepEqual((await storedCertificates(id)).map((c) => c.serial), [second.serial, first.serial], 'as the server lists them');

  // Revoke asks first; "Keep it" keeps the certificate and gives the focus back.
  const revoke = `#ops-certificates button.cert-revoke[data-serial="${second.serial}"]`;
  await page.click(revoke);
  await page.waitForSelector('#ops-cert-revoke-confirm', { state: 'visible', timeout: 15000 });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'ops-cert-revoke-confirm', 'the focus on the question');
  assert.ok((await textOf(page, '#ops-cert-revoke-question')).includes(second.serial));
  await page.click('#ops-cert-revoke-cancel');
  await page.waitForSelector('#ops-cert-revoke-box', { state: 'hidden', timeout: 15000 });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.serial), second.serial, 'the focus back on its button');
  assert.equal((await storedCertificates(id))[0].revoked, null, 'nothing revoked before the confirmation');

  // Confirmed: revoked for the server, and the row turns revoked.
  await page.click(revoke);
  await page.click('#ops-cert-revoke-confirm');
  assert.equal((await certificatesStatus('revoke')).result, 'revoked');
  await page.waitForSelector(`#ops-certificates tr.cert-row[data-serial="${second.serial}"][data-state="revoked"]`, { timeout: 15000 });
  assert.deepEqual(await certificateRows(), [
    { serial: second.serial, state: 'revoked', revoke: false },
    { serial: first.serial, state: 'revoked', revoke: false },
  ]);
  assert.ok((await storedCertificates(id)).every((c) => c.revoked !== null), 'every certificate revoked');

  // New download credentials: mailed; the new ones open the download site, the old ones no longer do.
  mails = server.mails().length;
  await page.click('#ops-send-credentials');
  const sent = await certificatesStatus('send-credentials');
  assert.equal(sent.result, 'mailed');
  assert.ok(sent.text.includes(email), sent.text);
  const fresh = credentialsOf(await mailTo(DOWNLOAD_SUBJECT, email, mails));
  assert.notDeepEqual(fresh, credentials);
  assert.equal((await server.certsrv('GET', '/certsrv/status', fresh)).status, 200, 'the new credentials work');
  assert.equal((await server.certsrv('GET', '/certsrv/status', credentials)).status, 401, 'the old ones no longer do');

  // Back to one-time passwords: said, the credentials button goes, the server refuses to send any.
  await page.selectOption('#support-auth-method', 'otp');
  await page.click('#support-auth-submit');
  const toOtp = await supportStatus('auth-method');
  assert.equal(toOtp.result, 'changed');
  assert.match(toOtp.text, /revoked/);
  await page.waitForSelector('#ops-send-credentials', { state: 'hidden', timeout: 15000 });
  assert.equal((await server.admin('GET', `/admin/accounts/${id}`)).body.auth_method, 'otp');
  const refused = await server.admin('POST', `/admin/accounts/${id}/download-credentials`, {});
  assert.equal(refused.status, 422, refused.text);
  assert.ok(refused.body.errors.some((e) => e.field === 'auth_method' && e.code === 'not_certificate'));
  assert.deepEqual(page.consoleErrors, []);
});

test('support: an account created on certificate set to otp — its certificate revoked, the customer can log in', async () => {
  await patchRegistry();
  const card = (a) => `#lookup-results .account-card[data-id="${a}"]`;
  // An account created on certificate cannot log in without its certificate; set to otp through
  // the page, it can, its certificate is revoked, and the customer is told by mail.
  const email = 'support05@example.com';
  const created = await server.admin('POST', '/admin/accounts', { opid: SUPPORT_OPID, plan: 'free', auth_method: 'certificate',
    password: PASSWORD, email, person: '試験 証明' });
  assert.equal(created.status, 201, created.text);
  const stuck = created.body.id;
  accounts.push(created.body);
  const issued = await server.issueCertificate(credentialsOf(await credentialsMailTo(email)));
  const customer = await newPage(browser);
  try {
    const login = () => customerApi(customer, 'POST', '/api/login', { id: stuck, password: PASSWORD });
    const before = await login();
    assert.equal(before.status(), 401);
    assert.equal((await before.json()).error.code, 'certificate_required');

    await lookUp(stuck);
    assert.equal(await page.inputValue('#support-auth-method'), 'certificate', 'the current method preselected');
    assert.equal(await page.getAttribute('#support-auth-method', 'aria-invalid'), null, 'a new card, no error');
    await page.waitForSelector(`#ops-certificates tr.cert-row[data-serial="${issued.serial}"][data-state="valid"]`, { timeout: 15000 });
    assert.equal(await page.isVisible('#ops-send-credentials'), true);
    const mails = server.mails().length;
    await page.selectOption('#support-auth-method', 'otp');
    await page.click('#support-auth-submit');
    const done = await supportStatus('auth-method');
    assert.equal(done.result, 'changed');
    assert.match(done.text, /one-time password/);
    // Its certificate is revoked, and the block, read again, says so.
    await page.waitForSelector(`#ops-certificates tr.cert-row[data-serial="${issued.serial}"][data-state="revoked"]`, { timeout: 15000 });
    assert.ok((await storedCertificates(stuck)).every((c) => c.revoked !== null));
    assert.equal(await page.isVisible('#ops-send-credentials'), false);
    await page.waitForSelector(`${card(stuck)} dd[data-key="auth_method"][data-value="otp"]`, { timeout: 15000 });
    assert.equal((await server.admin('GET', `/admin/accounts/${stuck}`)).body.auth_method, 'otp');
    assert.match(await textOf(page, '#support-auth-method option[value="otp"]'), /current/);
    await server.waitMail('ご登録内容変更のお知らせ', { to: email, after: mails });
    const after = await login();
    assert.equal(after.status(), 200, 'the customer can log in again');
    assert.equal((await after.json()).second_factor, 'otp');
    await server.waitMail('ワンタイムパスワード', { to: email, after: mails });

    // Setting the method it has: taken, and said so.
    await page.click('#support-auth-submit');
    assert.equal((await supportStatus('auth-method')).result, 'unchanged');
  } finally {
    await customer.context().close();
  }
  assert.deepEqual(page.consoleErrors, []);
});

test('support: cancelling a pending sign-up frees its OPID and stops its link', async () => {
  await patchRegistry();
  const customer = await newPage(browser);
  const application = (email) => ({ contractor_name: '株式会社サポート試験', industry: '情報通信業', phone: '03-1234-5678',
    department: 'お客様相談室', person: '試験 花子', email, opid: SIGNUP_OPID, an: SIGNUP_AN, dn: '0352000006', plan: 'free',
    password: PASSWORD, auth_method: 'otp', has_sales_code: false });
  const cancel = async (opid) => {
    await page.fill('#signup-cancel-opid', opid);
    await page.click('#signup-cancel-submit');
  };
  const cancelled = `#signup-cancel-status [data-result="cancelled"][data-opid="${SIGNUP_OPID}"]`;
  const notPending = async () => {
    await page.waitForSelector('#signup-cancel-opid[aria-invalid="true"]', { timeout: 15000 });
    assert.equal((await textOf(page, '#signup-cancel-opid-error')).trim(), 'No application is pending for this OPID.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signup-cancel-opid');
    assert.equal(await page.locator('#signup-cancel-status > *').count(), 0);
  };
  try {
    const mails = server.mails().length;
    const applied = await customerApi(customer, 'POST', '/api/signup', application('signup06.apply@example.com'));
    assert.equal(applied.status(), 202, await applied.text());
    const confirmPath = confirmPathOf(await server.waitMail('(1/3)', { to: 'signup06.apply@example.com', after: mails }));
    assert.ok(confirmPath);
    const summary = `/api/signup/${confirmPath.split('/').pop()}`;
    assert.equal((await customerApi(customer, 'GET', summary)).status(), 200, 'the link works while pending');
    assert.equal((await customerApi(customer, 'POST', '/api/signup', application('another@example.com'))).status(), 422, 'the OPID is held');

    // An OPID with nothing pending (it has an account): the 404 at the field.
    await cancel('TRAVEL04');
    await notPending();

    // A confirmation under way is too short a moment to hit from here: the page's answer to the
    // server's 409 is checked with that answer put in its place; nothing reaches the server.
    const route = (url) => url.pathname === `/admin/signup/${SIGNUP_OPID}`;
    await page.route(route, (r) => r.fulfill({ status: 409, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'already_confirmed', message: "the application's confirmation is under way" } }) }));
    try {
      await cancel(SIGNUP_OPID);
      await page.waitForSelector('#signup-cancel-status [data-result="confirming"]', { timeout: 15000 });
      assert.equal((await textOf(page, '#signup-cancel-status')).trim(), 'Its confirmation is under way; try again in a moment.');
      assert.equal(await page.getAttribute('#signup-cancel-opid', 'aria-invalid'), null, 'the error of before is gone');
    } finally {
      await page.unroute(route);
    }
    assert.equal((await customerApi(customer, 'GET', summary)).status(), 200, 'still pending');

    await cancel(SIGNUP_OPID);
    await page.waitForSelector(cancelled, { timeout: 15000 });
    assert.equal((await textOf(page, '#signup-cancel-status')).trim(),
      `The pending application of OPID ${SIGNUP_OPID} was cancelled; the OPID is free again.`);
    const gone = await customerApi(customer, 'GET', summary);
    assert.equal(gone.status(), 404, 'the link answers 404');
    assert.equal((await gone.json()).error.code, 'not_found');
    await customer.goto(server.customerUrl + confirmPath);
    await customer.waitForSelector('#link-invalid', { timeout: 15000 });

    // Nothing pending any more; the OPID is free for a new application.
    await cancel(SIGNUP_OPID);
    await notPending();
    assert.equal((await customerApi(customer, 'POST', '/api/signup', application('signup06.fixed@example.com'))).status(), 202);
    await cancel(SIGNUP_OPID);
    await page.waitForSelector(cancelled, { timeout: 15000 });
    assert.equal((await server.admin('DELETE', `/admin/signup/${SIGNUP_OPID}`)).status, 404, 'cancelled for the server too');
  } finally {
    await customer.context().close();
  }
  assert.deepEqual(page.consoleErrors, []);
});

test('logout returns to the token form; a session that ends stops the polling', async () => {
  await page.click('#logout');
  await page.waitForSelector('#login-form #token', { timeout: 15000 });
  await page.waitForSelector('#notice-logged-out');
  assert.equal(await opsCookie(), undefined, 'the cookie is cleared');
  assert.equal(await page.evaluate(() => fetch('/admin/stats').then((r) => r.status)), 401);

  // Logged in again, then the session ends from elsewhere (another tab's logout).
  await submitToken(server.token);
  await page.waitForSelector('#live #stat-accounts-live[data-value]', { timeout: 15000 });
  const ended = await page.context().request.post(server.adminUrl + '/admin/logout', { headers: { 'X-CXS-Ops': '1' }, data: {} });
  assert.equal(ended.status(), 200);
  await page.waitForSelector('#notice-expired', { timeout: 10000 });
  assert.equal(await page.isVisible('#login-form #token'), true);
  const asked = statsRequests.length;
  await sleep(4500);
  assert.equal(statsRequests.length, asked, 'no polling after the 401');
  assert.deepEqual(page.consoleErrors, []);
});
