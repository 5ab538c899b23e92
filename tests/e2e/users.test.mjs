// Child IDs (子ID, SPEC §15) in the browser: the main ID of a standard account creates a child on
// /users (the browser's password rule, then the server's 422 at its field), finds it listed and in
// /api/users, and the "ready" mail at the child's address without the password; edits it, sees a
// deleted group named as such, disables it (after an explanation), enables it, deletes it after
// confirming. A child logs in through the login page with its ID, password and mailed one-time
// password: its menu has no child IDs and no plan, groups, custom data and plan are read-only,
// /users explains itself without a request, a 403 forbidden_role is shown in the page's language,
// and disabling it ends its session. A child limited to an AN group sees only that AN in the filter
// bar and that AN's traffic. The page in English; a free account's plan offer without a request.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, opidEntry, loginThroughPages, jstDate, jstStart, until, textOf } from './harness.mjs';

const demo = opidEntry('DEMO0001');
const [AN1, AN2, AN3] = demo.ans.map((a) => a.an);   // 0120111222, 0120333444, 0570555666
const CHILD_PASSWORD = 'Child1Passw0rd';

let server;
let browser;
let account;
let page;
let seq = 0;

const calls = (day, an, n, hour = 10) => Array.from({ length: n }, (_, i) => ({
  call_id: `usr-${++seq}`, start: jstStart(day, hour + (i % 6), i), an, dn: demo.ans.find((a) => a.an === an).dns[0],
  caller: `0312500${String(seq).padStart(4, '0')}`, duration_s: i % 3 === 2 ? 0 : 60 + i, result: i % 3 === 2 ? 'busy' : 'completed',
}));

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'DEMO0001', plan: 'standard', registered: jstDate(-20) });
  await server.ingest([...calls(jstDate(-3), AN1, 7), ...calls(jstDate(-2), AN2, 4, 13), ...calls(jstDate(-2), AN3, 9), ...calls(jstDate(-1), AN1, 5)]);
  page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The customer API with a page's session; a change carries the session's CSRF token.
const customer = (p, method, path, body) => p.evaluate(async ({ method, path, body }) => {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = (await (await fetch('/api/me')).json()).csrf_token;
    headers['Content-Type'] = 'application/json';
  }
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}, { method, path, body });

const anGroup = async (name, members) => {
  const r = await customer(page, 'POST', '/api/groups/an', { name, members });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};
const newChild = async (body) => {
  const r = await customer(page, 'POST', '/api/users', { password: CHILD_PASSWORD, auth_method: 'otp', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
};

// Requests a page makes to a path (none may leave for an offer or an explanation).
function requestsTo(p, prefix) {
  const seen = [];
  p.on('request', (r) => { if (new URL(r.url()).pathname.startsWith(prefix)) seen.push(`${r.method()} ${r.url()}`); });
  return seen;
}

const item = (id) => `#users-list li[data-user-id="${id}"]`;

test('users page: create (the password rule, a 422 at its field), listed with the mail sent, edit, disable, enable, delete after confirming', async () => {
  const east = await anGroup('東日本', [AN1]);
  const west = await anGroup('西日本', [AN3]);
  const navi = await anGroup('ナビダイヤル', [AN2]);

  await page.goto(server.customerUrl + '/dashboard');
  await page.click('#sidenav a[href="/users"]');
  await page.waitForSelector('#users-list');
  assert.equal(await page.textContent('main h1'), '子ID');
  assert.match(await page.textContent('#users-list'), /まだ子IDはありません/);
  assert.match(await page.textContent('#users-disable-note'), /すぐにログアウト/);

  await page.click('#new-user');
  await page.waitForSelector('#user-form');
  // Only the one-time password can be chosen: the certificate is shown, disabled, with why.
  assert.equal(await page.isChecked('#user-form input[name="auth_method"][value="otp"]'), true);
  assert.equal(await page.isDisabled('#user-form input[name="auth_method"][value="certificate"]'), true);
  assert.match(await page.textContent('#field-new-auth_method'), /子IDの認証方式はワンタイムパスワードのみです。/);
  assert.doesNotMatch(await page.textContent('#field-new-auth_method'), /準備中/);
  // The account's AN groups to choose from, by name.
  assert.deepEqual(await page.$$eval('#user-form input[name="an_group"]', (xs) => xs.map((x) => x.value)).then((v) => v.sort()),
    [east.id, west.id, navi.id].sort());
  assert.match(await page.textContent('#field-new-password'), /メールでは送られません/);

  // A weak password: the account's rule, with the server's own message, and nothing sent.
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/users') posts.push(r.url()); });
  await page.fill('#user-form [name="person"]', '佐藤 一郎');
  await page.fill('#user-form [name="email"]', 'sato@example.com');
  await page.fill('#user-form [name="password"]', 'weakpass');
  await page.fill('#user-form [name="password_confirm"]', 'weakpass');
  await page.click('#user-form [type="submit"]');
  await page.waitForSelector('#error-new-password:not(:empty)');
  assert.equal(await page.textContent('#error-new-password'),
    'パスワードは半角英数字8〜64文字で、英大文字・英小文字・数字をそれぞれ1文字以上含めてください。');
  assert.equal(await page.getAttribute('#user-form [name="password"]', 'aria-invalid'), 'true');
  assert.deepEqual(posts, [], 'a password the rule refuses is not sent');

  // The server's 422 at its field: a group chosen here was deleted meanwhile.
  await page.fill('#user-form [name="password"]', CHILD_PASSWORD);
  await page.fill('#user-form [name="password_confirm"]', CHILD_PASSWORD);
  await page.check(`#user-form input[name="an_group"][value="${west.id}"]`);
  assert.equal((await customer(page, 'DELETE', `/api/groups/an/${west.id}`)).status, 204);
  await page.click('#user-form [type="submit"]');
  await page.waitForSelector('#error-new-an_groups:not(:empty)');
  assert.match(await page.textContent('#error-new-an_groups'), new RegExp(`存在しないFD/ND番号グループ.*${west.id}`));
  assert.equal(await page.getAttribute(`#user-form input[name="an_group"][value="${west.id}"]`, 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'user-form-summary');
  assert.equal(posts.length, 1);
  assert.deepEqual((await customer(page, 'GET', '/api/users')).body.users, [], 'nothing stored');

  // Fixed: created, with the mail said and the password to be handed over.
  const mailsBefore = server.mails().length;
  await page.uncheck(`#user-form input[name="an_group"][value="${west.id}"]`);
  await page.check(`#user-form input[name="an_group"][value="${east.id}"]`);
  await page.click('#user-form [type="submit"]');
  await page.waitForSelector('#users-list li[data-user-id]');
  const id = await page.getAttribute('#users-list li[data-user-id]', 'data-user-id');
  const status = await page.textContent('#users-status');
  assert.match(status, new RegExp(`子ID ${id}（佐藤 一郎）を作成しました`));
  assert.match(status, /sato@example\.com に「ご利用開始のお知らせ」を送信しました/);
  assert.match(status, /パスワードは記載されていません/);
  assert.match(status, /メインIDの管理者からご本人に直接お伝えください/);
  assert.equal(await page.textContent(`${item(id)} .user-person`), '佐藤 一郎');
  assert.equal(await page.textContent(`${item(id)} .user-email`), 'sato@example.com');
  assert.equal(await page.getAttribute(`${item(id)} .user-auth`, 'data-auth'), 'otp');
  assert.equal(await page.textContent(`${item(id)} .user-group[data-group-id="${east.id}"]`), '東日本');
  assert.equal(await page.getAttribute(`${item(id)} .user-status`, 'data-disabled'), 'false');
  assert.equal(await page.getAttribute(`${item(id)} .user-created`, 'data-created'), jstDate(0));
  assert.equal(await page.locator('#user-form').count(), 0, 'the form closed');

  const listed = (await customer(page, 'GET', '/api/users')).body.users;
  assert.deepEqual(listed, [{ id, email: 'sato@example.com', person: '佐藤 一郎', auth_method: 'otp', an_groups: [east.id], disabled: false,
    created: jstDate(0) }]);
  const mail = await server.waitMail('ご利用開始のお知らせ（子ID）', { to: 'sato@example.com', after: mailsBefore });
  assert.match(mail.body, new RegExp(`CX Support ID: ${id}`));
  assert.ok(!mail.body.includes(CHILD_PASSWORD), 'no password in the mail');

  // Edit: person, address and AN groups.
  await page.click(`${item(id)} [data-action="edit"]`);
  await page.waitForSelector(`#user-edit-form[data-user-id="${id}"]`);
  assert.equal(await page.inputValue('#user-edit-form [name="person"]'), '佐藤 一郎');
  assert.equal(await page.inputValue('#user-edit-form [name="email"]'), 'sato@example.com');
  assert.equal(await page.locator('#user-edit-form [name="password"]').count(), 0, 'no password here');
  assert.equal(await page.isChecked(`#user-edit-form input[name="an_group"][value="${east.id}"]`), true);
  await page.fill('#user-edit-form [name="person"]', '佐藤 次郎');
  await page.fill('#user-edit-form [name="email"]', 'jiro@example.com');
  await page.uncheck(`#user-edit-form input[name="an_group"][value="${east.id}"]`);
  await page.check(`#user-edit-form input[name="an_group"][value="${navi.id}"]`);
  await page.click('#user-edit-form [type="submit"]');
  await until('the edit listed', async () => (await page.textContent(`${item(id)} .user-person`)) === '佐藤 次郎');
  assert.equal(await page.textContent(`${item(id)} .user-email`), 'jiro@example.com');
  assert.equal(await page.textContent(`${item(id)} .user-group[data-group-id="${navi.id}"]`), 'ナビダイヤル');
  assert.match(await page.textContent('#users-status'), /保存しました/);
  const edited = await customer(page, 'GET', `/api/users/${id}`);
  assert.deepEqual([edited.body.person, edited.body.email, edited.body.an_groups], ['佐藤 次郎', 'jiro@example.com', [navi.id]]);

  // A group deleted since is named as a deleted group (the child then sees nothing of it).
  assert.equal((await customer(page, 'DELETE', `/api/groups/an/${navi.id}`)).status, 204);
  await page.reload();
  await page.waitForSelector(`${item(id)} .deleted-group[data-group-id="${navi.id}"]`);
  assert.match(await page.textContent(`${item(id)} .user-limit`), new RegExp(`削除されたグループ（${navi.id}）`));
  await page.click(`${item(id)} [data-action="edit"]`);
  await page.waitForSelector('#user-edit-form .user-groups-deleted');
  await page.click('#user-edit-form [data-action="cancel-edit"]');
  assert.equal(await page.locator('#user-edit-form').count(), 0);

  // Disable: explained first (its session ends at once), then confirmed; enabled again.
  await page.click(`${item(id)} [data-action="disable"]`);
  await page.waitForSelector(`${item(id)} [role="alertdialog"]`);
  assert.match(await page.textContent(`${item(id)} [role="alertdialog"]`), /すぐにログアウトされます/);
  await page.click(`${item(id)} [data-action="cancel"]`);
  assert.equal((await customer(page, 'GET', `/api/users/${id}`)).body.disabled, false, 'cancel changes nothing');
  await page.click(`${item(id)} [data-action="disable"]`);
  await page.click(`${item(id)} [data-action="confirm-disable"]`);
  await page.waitForSelector(`${item(id)}[data-disabled="true"]`);
  assert.equal(await page.textContent(`${item(id)} .user-status`), '利用停止中');
  assert.match(await page.textContent('#users-status'), /利用停止にしました/);
  assert.equal((await customer(page, 'GET', `/api/users/${id}`)).body.disabled, true);
  await page.click(`${item(id)} [data-action="enable"]`);
  await page.waitForSelector(`${item(id)}[data-disabled="false"]`);
  assert.equal(await page.textContent(`${item(id)} .user-status`), '利用中');
  assert.equal((await customer(page, 'GET', `/api/users/${id}`)).body.disabled, false);

  // Delete: cancelled, then confirmed.
  await page.click(`${item(id)} [data-action="delete"]`);
  await page.waitForSelector(`${item(id)} [role="alertdialog"]`);
  await page.click(`${item(id)} [data-action="cancel"]`);
  assert.equal((await customer(page, 'GET', '/api/users')).body.users.length, 1);
  await page.click(`${item(id)} [data-action="delete"]`);
  await page.click(`${item(id)} [data-action="confirm-delete"]`);
  await until('the child gone', async () => (await page.locator(item(id)).count()) === 0);
  assert.match(await page.textContent('#users-status'), /削除しました/);
  assert.deepEqual((await customer(page, 'GET', '/api/users')).body.users, []);
  assert.deepEqual(page.consoleErrors, []);
});

test('a child logs in: no child IDs or plan in its menu, read-only groups, custom data and plan; disabling ends its session', async () => {
  const childId = await newChild({ email: 'suzuki@example.com', person: '鈴木 花子' });
  const set = await customer(page, 'POST', '/api/custom', { name: '来店数', unit: '人', points: [{ t: jstDate(-2), value: 5 }] });
  assert.equal(set.status, 201, JSON.stringify(set.body));

  const cp = await newPage(browser);
  await loginThroughPages(cp, server, childId, CHILD_PASSWORD);
  assert.equal(new URL(cp.url()).pathname, '/dashboard');
  const me = await customer(cp, 'GET', '/api/me');
  assert.equal(me.body.role, 'child');

  // The menu: what a child may read, not the child IDs or the plan change.
  await cp.waitForSelector('#sidenav');
  assert.equal(await cp.locator('#sidenav a[href="/users"]').count(), 0);
  assert.equal(await cp.locator('#sidenav a[href="/plan"]').count(), 0);
  for (const path of ['/dashboard', '/analytics/traffic', '/report', '/groups', '/custom', '/settings']) {
    assert.equal(await cp.locator(`#sidenav a[href="${path}"]`).count(), 1, path);
  }
  assert.equal(await cp.locator('.topbar .role-chip[data-role="child"]').count(), 1);

  // Groups: listed, nothing to change, a note says who can.
  await cp.click('#sidenav a[href="/groups"]');
  await cp.waitForSelector('#groups-an li[data-group-name="東日本"]');
  assert.match(await cp.textContent('#readonly-note'), /メインIDのみが行えます/);
  assert.equal(await cp.locator('#new-an-group, #new-dn-group, #groups-an [data-action="edit"], #groups-an [data-action="delete"]').count(), 0);
  assert.equal(await cp.locator('#groups-an li[data-group-name="東日本"] a[href^="/analytics/traffic?an_group="]').count(), 1);

  // Custom data likewise: no editor, upload or copy.
  await cp.click('#sidenav a[href="/custom"]');
  await cp.waitForSelector('#custom-sets li[data-set-name="来店数"]');
  assert.match(await cp.textContent('#readonly-note'), /メインIDのみが行えます/);
  assert.equal(await cp.locator('#new-custom-set, #custom-upload-form, #custom-copy-form, #custom-sets [data-action="edit"], #custom-sets [data-action="delete"]').count(), 0);
  assert.equal(await cp.locator('#custom-sets li[data-set-name="来店数"] .custom-actions a').count(), 1, 'see in an analysis');

  // The plan is shown, not the change.
  await cp.goto(server.customerUrl + '/plan');
  await cp.waitForSelector('#current-plan');
  assert.equal(await cp.getAttribute('#current-plan', 'data-plan'), 'standard');
  assert.match(await cp.textContent('#plan-child-note'), /メインIDのみが行えます/);
  assert.equal(await cp.locator('#plan-downgrade, #plan-upgrade-form').count(), 0);

  // Settings: its own contact data, no department; one-time passwords only, no certificates.
  await cp.goto(server.customerUrl + '/settings');
  await cp.waitForSelector('#settings-form');
  assert.equal(await cp.inputValue('#settings-form [name="email"]'), 'suzuki@example.com');
  assert.equal(await cp.locator('#settings-form [name="department"]').count(), 0);
  assert.equal(await cp.isDisabled('#settings-form input[name="auth_method"][value="certificate"]'), true);
  assert.match(await cp.textContent('#field-auth_method'), /子IDの認証方式はワンタイムパスワードのみです。/);
  assert.equal(await cp.locator('#certificates').count(), 0);

  // /users explains itself without a request.
  const asked = requestsTo(cp, '/api/users');
  await cp.goto(server.customerUrl + '/users');
  await cp.waitForSelector('#users-child-note');
  assert.equal(await cp.locator('#users-list, #new-user').count(), 0);
  assert.deepEqual(asked, [], 'no request for the explanation');
  // What the server says to a child that asks anyway.
  const refused = await customer(cp, 'POST', '/api/groups/an', { name: 'x', members: [AN1] });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'forbidden_role');

  // A 403 forbidden_role a page still meets is said in the page's language (here Japanese,
  // whatever the answer's own message).
  await cp.route('**/api/custom', (r) => r.fulfill({ status: 403, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'forbidden_role', message: 'Only the main ID can do this.' } }) }));
  await cp.goto(server.customerUrl + '/custom');
  await cp.waitForSelector('.role-problem');
  assert.match(await cp.textContent('.role-problem'), /メインIDのみが行える操作です/);
  assert.doesNotMatch(await cp.textContent('.role-problem'), /Only the main ID/);
  await cp.unroute('**/api/custom');

  // Disabled by the main ID on its page: the child's next request finds its session gone.
  await cp.goto(server.customerUrl + '/dashboard');
  await cp.waitForSelector('#sidenav');
  await page.goto(server.customerUrl + '/users');
  await page.click(`${item(childId)} [data-action="disable"]`);
  await page.click(`${item(childId)} [data-action="confirm-disable"]`);
  await page.waitForSelector(`${item(childId)}[data-disabled="true"]`);
  await cp.click('#sidenav a[href="/groups"]');
  await cp.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('reason') === 'expired', { timeout: 15000 });
  assert.equal((await customer(page, 'DELETE', `/api/users/${childId}`)).status, 204);
  assert.deepEqual(cp.consoleErrors, []);
  assert.deepEqual(page.consoleErrors, []);
  await cp.context().close();
});

// A table's totals row: every raw figure.
const totalsOf = (p) => p.$$eval('#totals-row td[data-value]', (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));

test('a child limited to an AN group: only that AN in the filter bar, and that AN\'s traffic', async () => {
  const east = (await customer(page, 'GET', '/api/groups/an')).body.groups.find((g) => g.name === '東日本');
  assert.deepEqual(east.members, [AN1]);
  const childId = await newChild({ email: 'tanaka@example.com', person: '田中 太郎', an_groups: [east.id] });
  const cp = await newPage(browser);
  await loginThroughPages(cp, server, childId, CHILD_PASSWORD);
  assert.deepEqual((await customer(cp, 'GET', '/api/me')).body.an_groups, [east.id]);

  await cp.goto(server.customerUrl + '/analytics/traffic');
  await cp.waitForSelector('#data-table tbody tr[data-t]');
  assert.deepEqual(await cp.$$eval('#filters input[name="an"]', (xs) => xs.map((x) => x.value)), [AN1], 'only the AN of its group');
  await until('the applied filters', async () => (await textOf(cp, '#applied-filters')).includes('閲覧できるすべての番号'));

  // The figures are those of the main ID's API for an=AN1, not the account's.
  const mine = await customer(page, 'GET', `/api/analytics/traffic?an=${AN1}`);
  const all = await customer(page, 'GET', '/api/analytics/traffic');
  assert.equal(mine.status, 200);
  assert.ok(mine.body.totals.calls > 0);
  assert.notEqual(all.body.totals.calls, mine.body.totals.calls);
  await until('the AN\'s totals', async () => (await totalsOf(cp)).includes(mine.body.totals.calls));
  const totals = await totalsOf(cp);
  assert.ok(totals.includes(mine.body.totals.completed), `${totals}`);
  assert.ok(!totals.includes(all.body.totals.calls), 'not the account\'s total');
  const rows = await cp.$$eval('#data-table tbody tr[data-t]', (trs) => trs.map((tr) => ({ t: tr.getAttribute('data-t'),
    calls: Number(tr.querySelector('td[data-value]')?.getAttribute('data-value')) })));
  for (const b of mine.body.series.filter((x) => x.calls > 0)) {
    assert.equal(rows.find((r) => r.t === b.t)?.calls, b.calls, b.t);
  }
  // Another AN of the account is as unknown to it as another account's.
  assert.equal((await customer(cp, 'GET', `/api/analytics/traffic?an=${AN3}`)).status, 404);
  assert.deepEqual(cp.consoleErrors, []);
  await cp.context().close();
  assert.equal((await customer(page, 'DELETE', `/api/users/${childId}`)).status, 204);
});

test('English: the users page and its messages, the client\'s and the server\'s', async () => {
  const childId = await newChild({ email: 'en@example.com', person: 'Alex Smith' });
  const group = await anGroup('Kanto', [AN1]);
  const en = await newPage(browser, { lang: 'en' });
  await en.context().addCookies(await page.context().cookies());   // the same session
  await en.goto(server.customerUrl + '/users');
  await en.waitForSelector(item(childId));
  assert.equal(await en.textContent('main h1'), 'Child IDs');
  assert.equal(await en.textContent('#sidenav a[href="/users"]'), 'Child IDs');
  assert.equal(await en.textContent(`${item(childId)} .user-status`), 'Active');
  assert.equal(await en.textContent(`${item(childId)} .user-limit`), 'Every FD/ND number');
  assert.match(await en.textContent(`${item(childId)} .user-auth`), /One-time password/);
  assert.equal(await en.textContent('#users-limit'), 'You can create at most 50 child IDs.');

  await en.click('#new-user');
  await en.click('#user-form [type="submit"]');
  await en.waitForSelector('#error-new-person:not(:empty)');
  assert.equal(await en.textContent('#error-new-person'), 'Please enter the person in charge.');
  assert.equal(await en.textContent('#error-new-email'), 'Please enter the email address.');
  assert.equal(await en.textContent('#error-new-password'), 'Please enter the password.');
  assert.match(await en.textContent('#field-new-auth_method'), /A child ID logs in with one-time passwords only\./);

  // The server's 422 in English: a group deleted meanwhile.
  await en.fill('#user-form [name="person"]', 'Kim Lee');
  await en.fill('#user-form [name="email"]', 'kim@example.com');
  await en.fill('#user-form [name="password"]', CHILD_PASSWORD);
  await en.fill('#user-form [name="password_confirm"]', CHILD_PASSWORD);
  await en.check(`#user-form input[name="an_group"][value="${group.id}"]`);
  assert.equal((await customer(page, 'DELETE', `/api/groups/an/${group.id}`)).status, 204);
  await en.click('#user-form [type="submit"]');
  await en.waitForSelector('#error-new-an_groups:not(:empty)');
  assert.match(await en.textContent('#error-new-an_groups'), /No AN group of this account has that ID/);
  assert.match(await en.textContent('#user-form-summary'), /Please check your entries/);

  // Disabling is explained in English too.
  await en.click(`${item(childId)} [data-action="disable"]`);
  assert.match(await en.textContent(`${item(childId)} [role="alertdialog"]`), /logged out at once/);
  // No Japanese left but the data (the groups' names) and the switch back.
  const allowed = new Set(['日本語', 'Kanto', ...(await customer(page, 'GET', '/api/groups/an')).body.groups.map((g) => g.name)]);
  const words = [...new Set((await en.evaluate(() => document.body.innerText)).match(/[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]+/g) ?? [])];
  assert.deepEqual(words.filter((w) => !allowed.has(w)), [], 'Japanese left in the English page');
  await en.click(`${item(childId)} [data-action="cancel"]`);

  // What was typed survives the language switch (never the password).
  await en.click('.lang-switch');
  await en.waitForFunction(() => document.querySelector('main h1')?.textContent === '子ID', null, { timeout: 15000 });
  await en.waitForSelector('#user-form');
  assert.equal(await en.inputValue('#user-form [name="person"]'), 'Kim Lee');
  assert.equal(await en.inputValue('#user-form [name="email"]'), 'kim@example.com');
  assert.equal(await en.inputValue('#user-form [name="password"]'), '');
  // The page was built again from the server's lists: the group deleted meanwhile is no more offered.
  assert.equal(await en.locator(`#user-form input[name="an_group"][value="${group.id}"]`).count(), 0);
  await en.click('.lang-switch');
  await en.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Child IDs', null, { timeout: 15000 });
  await en.waitForSelector('#user-form');
  assert.deepEqual(en.consoleErrors, []);
  await en.context().close();
  assert.equal((await customer(page, 'DELETE', `/api/users/${childId}`)).status, 204);
});

test('readable at 1280×720 and at a phone width, the editors open; every field has a label', async () => {
  const childId = await newChild({ email: 'wide@example.com', person: '長い名前の担当者 さん', an_groups: [(await anGroup('とても長い名前のFD/ND番号グループ', [AN1, AN2])).id] });
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await page.goto(server.customerUrl + '/users');
    await page.waitForSelector(item(childId));
    await page.click('#new-user');
    await page.waitForSelector('#user-form');
    await page.click(`${item(childId)} [data-action="delete"]`);
    await page.waitForSelector(`${item(childId)} [role="alertdialog"]`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `/users at ${viewport.width}px scrolls sideways by ${overflow}px`);
    const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (els) => els
      .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.name || el.id));
    assert.deepEqual(unlabelled, [], 'fields without a label');
    await page.click(`${item(childId)} [data-action="edit"]`);
    await page.waitForSelector('#user-edit-form');
    assert.equal(await page.locator('#user-form').count(), 0, 'one editor at a time');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 1, `/users with the edit form at ${viewport.width}px scrolls sideways by ${wide}px`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  assert.equal((await customer(page, 'DELETE', `/api/users/${childId}`)).status, 204);
  assert.deepEqual(page.consoleErrors, []);
});

test('a free account: the offer on /users without a request, and the 403', async () => {
  const free = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-20) });
  const fp = await newPage(browser);
  await loginThroughPages(fp, server, free.id);
  const asked = requestsTo(fp, '/api/users');
  await fp.waitForSelector('#sidenav a[href="/users"] .badge');
  await fp.click('#sidenav a[href="/users"]');
  await fp.waitForSelector('#plan-offer');
  assert.match(await fp.textContent('#plan-offer'), /子ID/);
  assert.equal(await fp.getAttribute('#plan-offer-link', 'href'), '/plan?need=standard');
  assert.equal(await fp.locator('#users-list').count(), 0);
  assert.deepEqual(asked, [], 'no request for the offer');
  const r = await customer(fp, 'GET', '/api/users');
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'plan_required');
  assert.deepEqual(fp.consoleErrors, []);
  await fp.context().close();
});
