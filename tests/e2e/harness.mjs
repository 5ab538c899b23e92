// What the end-to-end tests share: the real cxs-server in a temp folder (ephemeral ports,
// loopback only), its admin API, the outbox mails parsed as MIME, CDR ingest, and Debian's
// headless Chromium driven by playwright-core. Bounded: every wait has a deadline, and the server
// and browser are always stopped.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync, existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import https from 'node:https';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const SOURCE = process.env.CXS_SOURCE ?? resolve(here, '../..');
export const SERVER_BIN = process.env.CXS_SERVER ?? join(SOURCE, 'build/bin/cxs-server');
export const WEB_ROOT = process.env.CXS_WEB_ROOT ?? join(SOURCE, 'build/web');
export const CHROMIUM = process.env.CXS_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'Passw0rdE2e';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(what, fn, timeoutMs = 15000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// The demo registry: OPIDs DEMO0001 (parent, standard demo), SHOP0002, CLINIC03, TRAVEL04 (parents)
// and DEMO0001C1 (child).
export const registry = JSON.parse(readFileSync(join(SOURCE, 'ops/demo/registry.json'), 'utf8'));
export const opidEntry = (opid) => registry.opids.find((o) => o.opid === opid);

// One HTTPS request from Node trusting the server's certificate: { status, body (parsed JSON when
// it is JSON), text }. Bounded by a 30-second timeout.
function httpsRequest(url, method, ca, headers, data, what) {
  return new Promise((resolvePromise, reject) => {
    const req = https.request(url, { method, ca, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolvePromise({ status: res.statusCode, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error(`${what} request timed out`)));
    if (data !== undefined) req.write(data);
    req.end();
  });
}

export class Server {
  // clock: true starts the server with --testing.clock (offset 0); setClock() moves it.
  constructor({ extraArgs = [], clock = false } = {}) {
    this.tmp = mkdtempSync(join(tmpdir(), 'cxs-e2e-'));
    this.dataDir = join(this.tmp, 'data');
    this.outbox = join(this.dataDir, 'outbox');
    this.extraArgs = extraArgs;
    if (clock) {
      this.clockFile = join(this.tmp, 'clock');
      this.setClock(0);
      this.extraArgs = [`--testing.clock=${this.clockFile}`, ...extraArgs];
    }
  }

  // The test clock's offset in seconds (the server reads the file again at each use).
  setClock(seconds) {
    writeFileSync(`${this.clockFile}.tmp`, `${Math.trunc(seconds)}\n`);
    renameSync(`${this.clockFile}.tmp`, this.clockFile);
  }

  async start() {
    const args = [`--data-dir=${this.dataDir}`, '--http.host=127.0.0.1', '--http.port=0', '--admin.port=0',
      `--registry=${join(SOURCE, 'ops/demo/registry.json')}`, `--web.root=${WEB_ROOT}`,
      '--rate.address-per-minute=100000', '--rate.id-per-minute=100000', ...this.extraArgs];
    this.proc = spawn(SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    let out = '';
    this.proc.stdout.on('data', (d) => { out += d; });
    const line = await until('the ready line', () => /cxs ready customer=(\S+) admin=(\S+)/.exec(out), 20000);
    this.customerUrl = line[1];
    this.adminUrl = line[2];
    this.token = readFileSync(join(this.dataDir, 'admin.token'), 'utf8').trim();
    this.ca = readFileSync(join(this.dataDir, 'tls/server.crt'));
    return this;
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await until('the server to stop', () => this.proc.exitCode !== null, 20000).catch(() => this.proc.kill('SIGKILL'));
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }

  // One request to the admin listener: { status, body (parsed JSON when it is JSON), text }.
  admin(method, path, body, headers = {}) {
    const data = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return httpsRequest(new URL(path, this.adminUrl), method, this.ca,
      { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', ...headers }, data, 'admin');
  }

  // One request to the customer listener from Node (no browser, no session), as admin() answers.
  customer(method, path, { headers = {}, body } = {}) {
    return httpsRequest(new URL(path, this.customerUrl), method, this.ca,
      { 'Content-Length': String(body ? Buffer.byteLength(body) : 0), ...headers }, body, 'customer');
  }

  // A request of the download site (SPEC §16) with its credentials as HTTP Basic auth.
  certsrv(method, path, { username, password }, { headers = {}, body } = {}) {
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    return this.customer(method, path, { headers: { Authorization: `Basic ${basic}`, Accept: 'application/json', ...headers }, body });
  }

  // POST /certsrv/issue as the download page does it: the JSON answer ({id, pkcs12, password,
  // serial, not_after}), its serial in lower case as the operators' lists write it.
  async issueCertificate(credentials) {
    const r = await this.certsrv('POST', '/certsrv/issue', credentials);
    if (r.status !== 200) throw new Error(`POST /certsrv/issue answered ${r.status}: ${r.text}`);
    if (!/^[0-9a-fA-F]+$/.test(r.body.serial ?? '')) throw new Error(`no serial in ${r.text}`);
    return { ...r.body, serial: r.body.serial.toLowerCase() };
  }

  async createAccount({ opid, plan = 'free', registered, email } = {}) {
    const entry = opidEntry(opid);
    const body = { opid, plan, auth_method: 'otp', password: PASSWORD, email: email ?? `${opid.toLowerCase()}@example.com`,
      person: '試験 太郎' };
    if (registered) body.registered = registered;
    if (plan === 'standard') Object.assign(body, { billing_an: entry.ans[0].an, billing_phone: '0312345678' });
    const r = await this.admin('POST', '/admin/accounts', body);
    if (r.status !== 201) throw new Error(`create account: ${r.status} ${r.text}`);
    return r.body;
  }

  // CDRs as CSV through the real ingest API; every line must be accepted. origin_pref/dest_pref
  // empty unless given (the server derives them from the caller and the DN).
  async ingest(rows) {
    const header = 'call_id,start,an,dn,caller,origin_pref,dest_pref,duration_s,result';
    const csv = [header, ...rows.map((r) => [r.call_id, r.start, r.an, r.dn ?? '', r.caller ?? '', r.origin_pref ?? '', r.dest_pref ?? '',
      r.duration_s ?? 0, r.result].join(','))].join('\n') + '\n';
    const r = await this.admin('POST', '/admin/ingest', csv, { 'Content-Type': 'text/csv' });
    if (r.status !== 200 || r.body.accepted !== rows.length) throw new Error(`ingest: ${r.status} ${r.text}`);
    return r.body;
  }

  analytics(id, name, query) {
    return this.admin('GET', `/admin/accounts/${id}/analytics/${name}?${new URLSearchParams(query)}`);
  }

  // Every mail in the outbox, oldest first, parsed.
  mails() {
    if (!existsSync(this.outbox)) return [];
    return readdirSync(this.outbox).filter((f) => f.endsWith('.eml')).sort()
      .map((f) => parseMail(readFileSync(join(this.outbox, f))));
  }

  // The first mail after `seen` mails whose subject contains `subject` (and to `to`, when given).
  async waitMail(subject, { to, after = 0, timeoutMs = 15000 } = {}) {
    return until(`a mail "${subject}"`, () => this.mails().slice(after)
      .find((m) => m.subject.includes(subject) && (!to || m.to === to)), timeoutMs);
  }
}

// A minimal MIME reader for our own mails: headers, RFC 2047 "B" subjects, base64 UTF-8 body.
export function parseMail(raw) {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const headerText = text.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const decodeWords = (v) => v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
  const body = headers['content-transfer-encoding']?.toLowerCase() === 'base64'
    ? Buffer.from(text.slice(split + 4).replace(/\s+/g, ''), 'base64').toString('utf8')
    : Buffer.from(text.slice(split + 4), 'latin1').toString('utf8');
  return { headers, subject: decodeWords(headers.subject ?? '').trim(), to: headers.to, body };
}

export const otpOf = (mail) => /ワンタイムパスワード: (\d{6})/.exec(mail.body)?.[1];
export const idOf = (mail) => /CX Support ID: ([A-Za-z0-9]{10})/.exec(mail.body)?.[1];
// The download account and password a mail gives (SPEC §16), or null when it gives none.
export function downloadCredentialsOf(mail) {
  const username = /ダウンロードアカウント: (\S+)/.exec(mail.body)?.[1];
  const password = /ダウンロードパスワード: (\S+)/.exec(mail.body)?.[1];
  return username && password ? { username, password } : null;
}
export const confirmPathOf = (mail) => /https?:\/\/[^/\s]+(\/signup\/confirm\/[A-Za-z0-9_-]{43})/.exec(mail.body)?.[1];

// Headless Chromium with the flags this machine needs (no network beyond loopback, no sandbox as root).
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A fresh context that trusts nothing but lets the self-signed loopback certificate through,
// records console errors (a CSP violation shows up there) and accepts downloads.
// `httpCredentials` ({username, password}): answers an HTTP Basic challenge (the /certsrv/ page).
// `clientCertificates` ([{origin, pfxPath, passphrase}]): the TLS client certificate the context
// presents to that origin (certificate login, SPEC §16; Playwright does the TLS of that origin).
export async function newPage(browser, { lang = 'ja', viewport = { width: 1280, height: 720 }, httpCredentials, clientCertificates } = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, locale: lang === 'en' ? 'en-US' : 'ja-JP', viewport,
    ...(httpCredentials ? { httpCredentials } : {}), ...(clientCertificates ? { clientCertificates } : {}) });
  const page = await context.newPage();
  page.consoleErrors = [];
  // An API answer of 4xx is part of the flows under test (422 field errors, 409, 401 "no session"),
  // and Chromium notes each as a failed resource load; everything else (CSP violations, script
  // errors, 5xx) counts.
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
    page.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => page.consoleErrors.push(String(err)));
  return page;
}

// PNG width and height from its IHDR chunk.
export function pngSize(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

export function pdfText(file) {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

export function zipEntries(file) {
  return execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

export function zipEntry(file, name) {
  return execFileSync('unzip', ['-p', file, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

export function writeTemp(server, name, data) {
  const p = join(server.tmp, name);
  writeFileSync(p, data);
  return p;
}

// JST calendar dates (YYYY-MM-DD), `days` from today, on the server's clock when `offsetS` is its
// test-clock offset.
export function jstDate(days = 0, offsetS = 0) {
  const ms = Date.now() + offsetS * 1000 + 9 * 3600 * 1000 + days * 86400 * 1000;
  return new Date(ms).toISOString().slice(0, 10);
}

// An ISO start time on a JST date at a JST hour and minute.
export const jstStart = (date, hour = 10, minute = 0) =>
  `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+09:00`;

// Logs in through the pages: ID and password, then the mailed one-time password. Ends on the
// page the login leads to (the dashboard unless `next` says otherwise).
export async function loginThroughPages(page, server, id, password = PASSWORD, { path = '/login' } = {}) {
  await page.goto(server.customerUrl + path);
  const before = server.mails().length;
  await page.fill('#login-form [name="id"]', id);
  await page.fill('#login-form [name="password"]', password);
  await page.click('#login-form [type="submit"]');
  await page.waitForSelector('#otp-form [name="code"]', { timeout: 15000 });
  const mail = await server.waitMail('ワンタイムパスワード', { after: before });
  await page.fill('#otp-form [name="code"]', otpOf(mail));
  await page.click('#otp-form [type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15000 });
}

// The document's text without layout white space, for `includes` checks.
// GET on the customer API with the page's own session: { status, body } (body null when not JSON).
export const apiGet = (page, path) => page.evaluate(async (url) => {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  return { status: r.status, body: await r.json().catch(() => null) };
}, path);

export const textOf = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ');

// Months of realistic calls for an OPID through the real ingest API (ops/gen_cdrs.py, seeded).
export function generateCalls(server, { opid, from, to = jstDate(0), perDay = 300, seed = 7 }) {
  execFileSync('python3', [join(SOURCE, 'ops/gen_cdrs.py'), '--seed', String(seed), '--registry', join(SOURCE, 'ops/demo/registry.json'),
    '--opid', opid, '--from', from, '--to', to, '--calls-per-day', String(perDay), '--post', server.adminUrl,
    '--token', join(server.dataDir, 'admin.token'), '--cafile', join(server.dataDir, 'tls/server.crt'), '--batch', '20000'],
  { stdio: ['ignore', 'ignore', 'inherit'] });
}
