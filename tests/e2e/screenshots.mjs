// Screenshots of the main pages for docs/screenshots/ (shown in the README). Not a test: run it
// after a build with `node tests/e2e/screenshots.mjs` (or `./ops/cxs screenshots`). It starts the
// real server on loopback with a free account and four months of generated calls, logs in through
// the pages and saves each page at 1280×720, the dashboard also at a phone's width.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, SOURCE, PASSWORD, launchBrowser, newPage, loginThroughPages, generateCalls, jstDate, opidEntry, until,
  downloadCredentialsOf } from './harness.mjs';

const out = process.env.CXS_SCREENSHOTS ?? join(SOURCE, 'docs/screenshots');

// A CSV file (RFC 4180: quoted cells may hold commas and quotes) as an HTML table, the way a
// spreadsheet opens it: the file name above, headings in bold, numbers to the right.
function csvAsTable(name, text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const esc = (s) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  const td = (s, tag) => `<${tag}${/^-?[\d.:]+$/.test(s) ? ' class="n"' : ''}>${esc(s)}</${tag}>`;
  return `<!doctype html><meta charset="utf-8"><style>
    body { font: 13px "IPAGothic", "IPAPGothic", sans-serif; margin: 16px; color: #1d2733; }
    p { margin: 0 0 8px; color: #5a6675; } table { border-collapse: collapse; }
    th, td { border: 1px solid #c8d0da; padding: 3px 8px; white-space: nowrap; }
    th { background: #eef2f6; } td.n { text-align: right; } tr:nth-child(even) td { background: #f8fafc; }
  </style><p>${esc(name)}</p><table>${rows.map((r, i) => `<tr>${r.map((c) => td(c, i ? 'td' : 'th')).join('')}</tr>`).join('')}</table>`;
}
mkdirSync(out, { recursive: true });

const server = await new Server().start();
const browser = await launchBrowser();
try {
  const account = await server.createAccount({ opid: 'SHOP0002', registered: jstDate(-120) });
  generateCalls(server, { opid: 'SHOP0002', from: jstDate(-120) });
  const shot = async (page, name, path, waitFor) => {
    await page.goto(server.customerUrl + path);
    await page.waitForSelector(waitFor, { timeout: 20000 });
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(600);   // chart animations
    await page.screenshot({ path: join(out, `${name}.png`) });
    console.log(`${name}.png  ${path}`);
  };
  const visitor = await newPage(browser);
  await shot(visitor, 'login', '/login', '#login-form');
  await shot(visitor, 'signup', '/signup', '#signup-form');

  const page = await newPage(browser);
  await loginThroughPages(page, server, account.id);
  await shot(page, 'dashboard', '/dashboard', '#stat-month-calls[data-value]');
  await shot(page, 'traffic', '/analytics/traffic', '#data-table tbody tr');
  await shot(page, 'annual', '/analytics/annual', '#data-table tbody tr');
  await shot(page, 'compare', `/analytics/compare?from=${jstDate(-13)}&to=${jstDate(-7)}`, '#data-table tbody tr');
  await shot(page, 'incomplete', '/analytics/incomplete', '#data-table tbody tr');
  await shot(page, 'standard-offer', '/analytics/origin', '#plan-offer');
  await shot(page, 'report', '/report', '#report-pdf');
  await shot(page, 'settings', '/settings', '#settings-form');
  await shot(page, 'plan', '/plan', '#plan-upgrade-form');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'dashboard-phone', '/dashboard', '#stat-month-calls[data-value]');
  await page.setViewportSize({ width: 1280, height: 720 });

  // SPEC §19: the CSV for people, as a spreadsheet would show it: the page's own download (headings
  // in Japanese, talk time also as h:mm:ss) drawn as a table.
  await page.goto(`${server.customerUrl}/analytics/traffic?from=${jstDate(-13)}&to=${jstDate(0)}`);
  await page.waitForSelector('#data-table tbody tr');
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('button[data-download="csv"]')]);
  const csvText = readFileSync(await csvDownload.path(), 'utf8').replace(/^\uFEFF/, '');
  const sheet = await newPage(browser);
  await sheet.setContent(csvAsTable(csvDownload.suggestedFilename(), csvText));
  await sheet.screenshot({ path: join(out, 'csv-ja.png') });
  console.log(`csv-ja.png  ${csvDownload.suggestedFilename()} as a table`);

  // SPEC §19: a second login of the same ID is offered the take-over after its 409.
  const elsewhere = await newPage(browser);
  await elsewhere.goto(server.customerUrl + '/login');
  await elsewhere.fill('#login-form [name="id"]', account.id);
  await elsewhere.fill('#login-form [name="password"]', PASSWORD);
  await elsewhere.click('#login-form [type="submit"]');
  await elsewhere.waitForSelector('#take-over');
  await elsewhere.screenshot({ path: join(out, 'take-over.png') });
  console.log('take-over.png  /login (409 session_active, the take-over offer)');

  // SPEC §19: a new account without calls says when its figures come.
  const fresh = await server.createAccount({ opid: 'TRAVEL04', registered: jstDate(0) });
  const newcomer = await newPage(browser);
  await loginThroughPages(newcomer, server, fresh.id);
  await shot(newcomer, 'empty-account', '/dashboard', '#dashboard-empty');

  // SPEC §16: the certificate download page just after an issue (its one-time password shown), and
  // the login page's answer to a certificate account whose browser sent no certificate.
  const certEmail = 'clinic03@example.com';
  const made = await server.admin('POST', '/admin/accounts', { opid: 'CLINIC03', plan: 'free', auth_method: 'certificate',
    password: PASSWORD, email: certEmail, person: '試験 証明' });
  if (made.status !== 201) throw new Error(`certificate account: ${made.text}`);
  const credentialsMail = await until('the download credentials', () => server.mails()
    .find((m) => (m.to ?? '').includes(certEmail) && downloadCredentialsOf(m)));
  const downloader = await newPage(browser, { httpCredentials: downloadCredentialsOf(credentialsMail) });
  await downloader.goto(server.customerUrl + '/certsrv/');
  await downloader.waitForSelector('#cert-empty');
  await downloader.click('#issue-button');
  await downloader.waitForSelector('#issue-done');
  await downloader.waitForTimeout(300);
  await downloader.screenshot({ path: join(out, 'certsrv.png') });
  console.log('certsrv.png  /certsrv/ (a certificate issued, its password shown once)');
  const refused = await newPage(browser);
  await refused.goto(server.customerUrl + '/login');
  await refused.fill('#login-form [name="id"]', made.body.id);
  await refused.fill('#login-form [name="password"]', PASSWORD);
  await refused.click('#login-form [type="submit"]');
  await refused.waitForSelector('#error-certificate[data-code="certificate_required"]');
  await refused.screenshot({ path: join(out, 'certificate-required.png') });
  console.log('certificate-required.png  /login (401 certificate_required, what to do)');

  // The customer guide (docs/guide.md): groups, custom data and child IDs of a standard account.
  const std = await server.createAccount({ opid: 'DEMO0001', plan: 'standard', registered: jstDate(-120) });
  generateCalls(server, { opid: 'DEMO0001', from: jstDate(-60), perDay: 200, seed: 11 });
  const guide = await newPage(browser);
  await loginThroughPages(guide, server, std.id);
  const send = (method, path, body, type = 'application/json') => guide.evaluate(async ([m, url, b, t]) => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch(url, { method: m, headers: { 'Content-Type': t, 'X-CSRF-Token': me.csrf_token }, body: b });
    return r.json();
  }, [method, path, type === 'application/json' ? JSON.stringify(body) : body, type]);
  const ans = opidEntry('DEMO0001').ans.map((a) => a.an);
  const east = await send('POST', '/api/groups/an', { name: '東日本', members: ans.slice(0, 2) });
  await send('POST', '/api/groups/an', { name: '西日本', members: ans.slice(2) });
  const dns = [...new Set(opidEntry('DEMO0001').ans.flatMap((a) => a.dns))];
  await send('POST', '/api/groups/dn', { name: '本社コールセンター', members: dns.slice(0, 1) });
  let visits = 'date,value\n';
  for (let d = -30; d <= 0; ++d) visits += `${jstDate(d)},${80 + ((d * 37) % 23 + 23) % 23 * 3}\n`;
  const set = await send('POST', `/api/custom/upload?name=${encodeURIComponent('来店数')}&unit=${encodeURIComponent('人')}`, visits, 'text/csv');
  await send('POST', '/api/users', { password: 'Child1Passw0rd', email: 'sato@example.com', person: '佐藤 一郎', auth_method: 'otp', an_groups: [east.id] });
  await send('POST', '/api/users', { password: 'Child1Passw0rd', email: 'suzuki@example.com', person: '鈴木 花子', auth_method: 'otp' });
  await shot(guide, 'guide-groups', '/groups', 'li.group-item');
  await shot(guide, 'guide-custom', '/custom', '#custom-sets li');
  await guide.setInputFiles('#in-up-file', { name: '来店数_12月.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`日付,値\r\n${jstDate(-2)},120\r\n${jstDate(-1)},1O4\r\n2026/13/01,98\r\n${jstDate(0)},"1,034"\r\n`) });
  await guide.waitForSelector('#upload-preview tr[data-line="5"]');
  await guide.click('#upload-store');
  await guide.waitForSelector('#upload-error-summary');
  await guide.locator('#custom-upload').scrollIntoViewIfNeeded();
  await guide.screenshot({ path: join(out, 'guide-custom-upload.png') });
  console.log('guide-custom-upload.png  /custom (upload with line errors)');
  await shot(guide, 'guide-overlay', `/analytics/traffic?from=${jstDate(-30)}&to=${jstDate(0)}&custom=${set.id}`, '#data-table tbody tr');
  await guide.locator('#chart').scrollIntoViewIfNeeded();  // the chart with the set's line, not the filters
  await guide.waitForTimeout(300);
  await guide.screenshot({ path: join(out, 'guide-overlay.png') });
  await shot(guide, 'guide-users', '/users', '#users-list li');
  // The operators' page (docs/operations.md, "/ops"): the token once, then the live figures.
  const ops = await newPage(browser);
  await ops.goto(`${server.adminUrl}/ops`);
  await ops.fill('#token', readFileSync(join(server.dataDir, 'admin.token'), 'utf8').trim());
  await ops.click('#login-form button[type="submit"]');
  await ops.waitForSelector('#headline');
  await ops.waitForTimeout(4500);  // two refreshes: rates and charts
  await ops.screenshot({ path: join(out, 'ops.png') });
  console.log('ops.png  /ops (admin listener)');
  if (ops.consoleErrors.length) {
    console.error('console errors:', ops.consoleErrors);
    process.exitCode = 1;
  }
  if (guide.consoleErrors.length) {
    console.error('console errors:', guide.consoleErrors);
    process.exitCode = 1;
  }
  const pages = [visitor, page, elsewhere, newcomer, downloader, refused];
  if (pages.some((p) => p.consoleErrors.length)) {
    console.error('console errors:', pages.flatMap((p) => p.consoleErrors));
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await server.stop();
}
