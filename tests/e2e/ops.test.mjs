// The operators' live page /ops on the admin listener (SPEC §17): the token form (a wrong token
// refused, the right one traded for an HttpOnly cookie, nothing in web storage), the live figures
// following load between two refreshes (ingest rows/s, the account among the busiest, the charts
// fed from the polls), the account list (every account as the console opens, a search by part of
// an ID, OPID or AN, "Show more" pages, an ID opens its card; the exact look-up by ID, OPID and a
// hyphenated AN), plan changes through the form with the server's 422 at its field, logout, and a
// session that ends under the page (polling stops, the token form is back). No sideways scrolling
// at 1280 px, no console errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, until, textOf, jstDate, jstStart } from './harness.mjs';

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
