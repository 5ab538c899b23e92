// Screenshots of the main pages for docs/screenshots/ (shown in the README). Not a test: run it
// after a build with `node tests/e2e/screenshots.mjs` (or `./ops/cxs screenshots`). It starts the
// real server on loopback with a free account and four months of generated calls, logs in through
// the pages and saves each page at 1280×720, the dashboard also at a phone's width.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Server, SOURCE, launchBrowser, newPage, loginThroughPages, generateCalls, jstDate } from './harness.mjs';

const out = process.env.CXS_SCREENSHOTS ?? join(SOURCE, 'docs/screenshots');
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
  if (page.consoleErrors.length || visitor.consoleErrors.length) {
    console.error('console errors:', [...visitor.consoleErrors, ...page.consoleErrors]);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await server.stop();
}
