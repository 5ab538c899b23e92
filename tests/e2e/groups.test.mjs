// AN and DN groups in the browser (SPEC §15 "Groups"): a standard account makes an AN group by
// searching its numbers and ticking, and another from a pasted list, a DN group from a pasted list
// of destination numbers, sees them listed, edits one, gets the server's 422 (a duplicate name)
// at the name field with the summary focused, deletes one after confirming; then chooses an AN
// group in the traffic analysis filter, whose table then holds the API's answer for the same
// an_group query (kept in the URL, in the CSV). The page in English, and a free account's locked
// pickers and plan offer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Server, launchBrowser, newPage, opidEntry, loginThroughPages, jstDate, jstStart, until, apiGet } from './harness.mjs';

const demo = opidEntry('DEMO0001');
const [AN1, AN2, AN3] = demo.ans.map((a) => a.an);   // 0120111222, 0120333444, 0570555666
const [DN1a, DN1b] = demo.ans[0].dns;
const [DN2] = demo.ans[1].dns;
const hyphenated = (an) => `${an.slice(0, 4)}-${an.slice(4, 7)}-${an.slice(7)}`;

let server;
let browser;
let account;
let page;
let seq = 0;

const calls = (day, an, dn, n, hour = 10) => Array.from({ length: n }, (_, i) => ({
  call_id: `grp-${++seq}`, start: jstStart(day, hour + (i % 6), i), an, dn, caller: `0312300${String(seq).padStart(4, '0')}`,
  duration_s: i % 3 === 2 ? 0 : 60 + i, result: i % 3 === 2 ? 'busy' : 'completed',
}));

before(async () => {
  server = await new Server().start();
  browser = await launchBrowser();
  account = await server.createAccount({ opid: 'DEMO0001', plan: 'standard', registered: jstDate(-20) });
  await server.ingest([...calls(jstDate(-2), AN1, DN1a, 7), ...calls(jstDate(-2), AN2, DN2, 4, 13), ...calls(jstDate(-5), AN3, demo.ans[2].dns[0], 9),
    ...calls(jstDate(-6), AN1, DN1b, 5)]);
  page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The customer API with the page's session (GET only).
const customer = apiGet;

const groupItem = (kind, name) => `#groups-${kind} li[data-group-name="${name}"]`;
const visibleMembers = (kind) => page.$$eval(`#group-form-${kind} .member-choices label:not(.hidden) input`, (xs) => xs.map((x) => x.value));

test('groups page: create (search, pasted lists), list, edit with a 422 at its field, delete after confirming', async () => {
  await page.goto(server.customerUrl + '/dashboard');
  await page.click('#sidenav a[href="/groups"]');
  await page.waitForSelector('#groups-an');
  assert.match(await page.textContent('main h1'), /グループ/);
  assert.match(await page.textContent('#groups-an'), /まだグループはありません/);

  // An AN group from the account's numbers narrowed by a search.
  await page.click('#new-an-group');
  await page.waitForSelector('#group-form-an');
  assert.deepEqual(await visibleMembers('an'), [AN1, AN2, AN3], 'every AN of the account offered');
  await page.fill('#group-form-an [name="name"]', '東日本');
  await page.fill('#group-form-an [name="member_search"]', '0120-111');
  await until('the search narrows the list', async () => (await visibleMembers('an')).join() === AN1);
  await page.check(`#group-form-an input[name="member"][value="${AN1}"]`);
  await page.fill('#group-form-an [name="member_search"]', '');
  // One more by a pasted line, left in the box: it goes in with the form.
  await page.fill('#group-form-an [name="paste"]', hyphenated(AN2));
  await page.click('#group-form-an [type="submit"]');
  await page.waitForSelector(groupItem('an', '東日本'));
  assert.equal(await page.getAttribute(`${groupItem('an', '東日本')} .group-count`, 'data-count'), '2');
  assert.match(await page.textContent(groupItem('an', '東日本')), new RegExp(`${hyphenated(AN1)}.*${hyphenated(AN2)}`));
  assert.match(await page.textContent('#groups-status'), /東日本/);

  // A second AN group from a pasted list with the add button (spaces and a comma between numbers).
  await page.click('#new-an-group');
  await page.fill('#group-form-an [name="name"]', '西日本');
  await page.fill('#group-form-an [name="paste"]', `${hyphenated(AN3)}, 1234`);
  await page.click('#paste-add-an');
  assert.equal(await page.isChecked(`#group-form-an input[name="member"][value="${AN3}"]`), true);
  assert.equal(await page.inputValue('#group-form-an [name="paste"]'), '1234', 'the number that is not the account\'s stays in the box');
  await page.waitForSelector('#error-an-members:not(:empty)');
  assert.match(await page.textContent('#error-an-members'), /1234/);
  await page.fill('#group-form-an [name="paste"]', '');
  await page.click('#group-form-an [type="submit"]');
  await page.waitForSelector(groupItem('an', '西日本'));

  // A DN group: destination numbers typed and pasted (no list of the account's DNs to pick from).
  await page.click('#new-dn-group');
  await page.waitForSelector('#group-form-dn');
  await page.fill('#group-form-dn [name="name"]', '関東・関西');
  await page.fill('#group-form-dn [name="paste"]', `${DN1a.slice(0, 2)}-${DN1a.slice(2, 6)}-${DN1a.slice(6)}\n${DN1b} ${DN2}`);
  await page.click('#paste-add-dn');
  assert.deepEqual(await page.$$eval('#group-form-dn input[name="member"]:checked', (xs) => xs.map((x) => x.value)), [DN1a, DN1b, DN2]);
  await page.click('#group-form-dn [type="submit"]');
  await page.waitForSelector(groupItem('dn', '関東・関西'));
  assert.equal(await page.getAttribute(`${groupItem('dn', '関東・関西')} .group-count`, 'data-count'), '3');

  const an = await customer(page, '/api/groups/an');
  assert.deepEqual(an.body.groups.map((g) => [g.name, g.members]), [['東日本', [AN1, AN2]], ['西日本', [AN3]]]);
  const dn = await customer(page, '/api/groups/dn');
  assert.deepEqual(dn.body.groups[0].members, [DN1a, DN1b, DN2]);

  // Edit: a name another AN group has is the server's 422, at the name field, the summary focused.
  await page.click(`${groupItem('an', '西日本')} [data-action="edit"]`);
  await page.waitForSelector('#group-form-an[data-group-id]');
  assert.equal(await page.inputValue('#group-form-an [name="name"]'), '西日本');
  assert.equal(await page.isChecked(`#group-form-an input[name="member"][value="${AN3}"]`), true);
  await page.fill('#group-form-an [name="name"]', '東日本');
  await page.click('#group-form-an [type="submit"]');
  await page.waitForSelector('#error-an-name:not(:empty)');
  assert.match(await page.textContent('#error-an-name'), /同じ名前のグループがすでにあります/);
  assert.equal(await page.getAttribute('#group-form-an [name="name"]', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'group-form-an-summary');
  assert.match(await page.textContent('#group-form-an-summary'), /同じ名前のグループ/);
  // Fixed: saved under the new name, with one more number.
  await page.fill('#group-form-an [name="name"]', 'ナビダイヤル');
  await page.check(`#group-form-an input[name="member"][value="${AN2}"]`);
  await page.click('#group-form-an [type="submit"]');
  await page.waitForSelector(groupItem('an', 'ナビダイヤル'));
  assert.equal(await page.locator(groupItem('an', '西日本')).count(), 0);
  assert.equal(await page.getAttribute(`${groupItem('an', 'ナビダイヤル')} .group-count`, 'data-count'), '2');

  // Delete asks first; "cancel" keeps it, the confirmation deletes it.
  await page.click(`${groupItem('an', 'ナビダイヤル')} [data-action="delete"]`);
  await page.waitForSelector(`${groupItem('an', 'ナビダイヤル')} [role="alertdialog"]`);
  await page.click(`${groupItem('an', 'ナビダイヤル')} [data-action="cancel-delete"]`);
  assert.equal((await customer(page, '/api/groups/an')).body.groups.length, 2);
  await page.click(`${groupItem('an', 'ナビダイヤル')} [data-action="delete"]`);
  await page.click(`${groupItem('an', 'ナビダイヤル')} [data-action="confirm-delete"]`);
  await until('the group gone', async () => (await page.locator(groupItem('an', 'ナビダイヤル')).count()) === 0);
  assert.match(await page.textContent('#groups-status'), /削除しました/);
  assert.deepEqual((await customer(page, '/api/groups/an')).body.groups.map((g) => g.name), ['東日本']);
  assert.deepEqual(page.consoleErrors, []);
});

// A table's rows by bucket (tr[data-t]): every numeric cell's raw value.
const rowsOf = () => page.$$eval('#data-table tbody tr[data-t]', (rows) => rows.map((tr) => ({
  t: tr.getAttribute('data-t'), values: [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.getAttribute('data-value'))),
})));
const totalsOf = () => page.$$eval('#totals-row td[data-value]', (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));

test('an AN group in the traffic filter: the table holds the API\'s answer for an_group, kept in the URL and the CSV', async () => {
  const east = (await customer(page, '/api/groups/an')).body.groups.find((g) => g.name === '東日本');
  const dnGroup = (await customer(page, '/api/groups/dn')).body.groups[0];
  await page.goto(server.customerUrl + '/analytics/traffic');
  await page.waitForSelector('#data-table tbody tr[data-t]');
  const all = await server.analytics(account.id, 'traffic', {});
  assert.equal(await page.locator('#filters .more-filters[open]').count(), 0, 'closed while no condition of it is set');
  await page.click('#filters .more-filters > summary');
  // Real pickers: the account's groups, enabled.
  assert.equal(await page.locator(`#filters input[name="dn_group"][value="${dnGroup.id}"]:not([disabled])`).count(), 1);
  await page.check(`#filters input[name="an_group"][value="${east.id}"]`);
  await page.click('#apply-filters');
  await page.waitForURL((url) => url.searchParams.get('an_group') === east.id);

  const r = await server.analytics(account.id, 'traffic', { an_group: east.id });
  assert.equal(r.status, 200, r.text);
  const answer = r.body;
  assert.deepEqual(answer.filters.an_group, [east.id]);
  assert.equal(answer.totals.calls, 16, 'the calls of AN1 and AN2 only');
  assert.notEqual(answer.totals.calls, all.body.totals.calls);
  await until('the group\'s totals', async () => (await totalsOf()).includes(answer.totals.calls));
  const rows = await rowsOf();
  const busy = answer.series.filter((b) => b.calls > 0);
  assert.ok(busy.length >= 2);
  for (const b of busy) {
    const row = rows.find((x) => x.t === b.t);
    assert.ok(row, `a row for ${b.t}`);
    assert.ok(row.values.includes(b.calls) && row.values.includes(b.completed), `${b.t}: ${row.values}`);
  }
  assert.ok(rows.filter((x) => x.values[0] > 0).length === busy.length, 'no other bucket has calls');
  assert.match(await page.textContent('#applied-filters'), /AN グループ: 東日本/);

  // The URL brings it back (a bookmark): the section open, the group ticked, the same figures.
  await page.reload();
  await page.waitForSelector('#data-table tbody tr[data-t]');
  await until('the group\'s totals again', async () => (await totalsOf()).includes(answer.totals.calls));
  assert.equal(await page.locator('#filters .more-filters[open]').count(), 1);
  assert.equal(await page.isChecked(`#filters input[name="an_group"][value="${east.id}"]`), true);

  // The CSV download asks with the same filter.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button[data-download="csv"]')]);
  const file = join(server.tmp, `groups-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  const csv = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const expected = await server.analytics(account.id, 'traffic', { an_group: east.id, format: 'csv', headers: 'ja' });
  assert.equal(csv, expected.text.replace(/^\uFEFF/, ''));

  // A bookmark naming a group that is gone is explained without asking the server.
  await page.goto(`${server.customerUrl}/analytics/traffic?an_group=0123456789abcdef`);
  await page.waitForSelector('.alert.error');
  assert.match(await page.textContent('.alert.error'), /AN グループ/);
  assert.deepEqual(page.consoleErrors, []);
});

test('English: the groups page and its messages', async () => {
  const en = await newPage(browser, { lang: 'en' });
  await en.context().addCookies(await page.context().cookies());   // the same session
  await en.goto(server.customerUrl + '/groups');
  await en.waitForSelector('#groups-an li[data-group-name]');
  assert.equal(await en.textContent('main h1'), 'Groups');
  assert.match(await en.textContent('#groups-an h2'), /AN groups/);
  assert.match(await en.textContent('#groups-an .group-count'), /2 numbers/);
  await en.click('#new-dn-group');
  await en.click('#group-form-dn [type="submit"]');
  await en.waitForSelector('#error-dn-name:not(:empty)');
  assert.equal(await en.textContent('#error-dn-name'), 'Please enter the group name.');
  assert.match(await en.textContent('#error-dn-members'), /at least one number/);
  // The server's 422 in English: a DN that is not one of the account's.
  await en.fill('#group-form-dn [name="name"]', 'Elsewhere');
  await en.fill('#group-form-dn [name="paste"]', opidEntry('SHOP0002').ans[0].dns[0]);
  await en.click('#group-form-dn [type="submit"]');
  await en.waitForSelector('#error-dn-members:not(:empty)');
  await until('the server\'s message', async () => /destination number registered/.test(await en.textContent('#error-dn-members')));
  assert.deepEqual(en.consoleErrors, []);
  await en.context().close();
});

test('a free account: the plan offer on /groups and locked group pickers', async () => {
  const free = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-20) });
  const fp = await newPage(browser);
  await loginThroughPages(fp, server, free.id);
  await fp.goto(server.customerUrl + '/groups');
  await fp.waitForSelector('#plan-offer');
  assert.equal(await fp.locator('#groups-an').count(), 0);
  assert.equal(await fp.getAttribute('#plan-offer-link', 'href'), '/plan?need=standard');
  assert.equal(await fp.locator('#sidenav a[href="/groups"] .badge').count(), 1);
  const r = await customer(fp, '/api/groups/an');
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'plan_required');

  await fp.goto(server.customerUrl + '/analytics/traffic');
  await fp.waitForSelector('#filters');
  assert.equal(await fp.locator('#filters .filter-group.locked[data-plan="standard"]').count(), 1);
  assert.equal(await fp.locator('#filters select[name="an_group"][disabled]').count(), 1);
  assert.equal(await fp.locator('#filters select[name="dn_group"][disabled]').count(), 1);
  assert.equal(await fp.locator('#filters input[name="an_group"]').count(), 0);
  assert.deepEqual(fp.consoleErrors, []);
  await fp.context().close();
});
