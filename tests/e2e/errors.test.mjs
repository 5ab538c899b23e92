// SPEC §19 "Messages": every error a page shows is in the page's language, and no page is left
// loading after an error. The API is made to answer each of its errors (page.route) on an analysis
// page, a CSV download, the settings save, the report page, the sign-up form and the login form,
// in Japanese (the default) and in English (a browser that prefers English); for each the message
// must be visible and in the page's language (never "HTTP 503", a script's English, or a server
// text of the other language), and nothing may stay loading: no aria-busy="true", no `.loading`
// (the dimmed applied-filters line: styles.css has no spinner of its own), no "読み込み中…" /
// "送信中…" / "作成中…" text, the buttons enabled again. Then a real 401: a session that ended
// (test clock) sends an analysis page to the login page with its notice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, launchBrowser, newPage, loginThroughPages, opidEntry, jstDate, jstStart } from './harness.mjs';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const NOT_FOR_PEOPLE = /HTTP ?\d|Failed to fetch|NetworkError|TypeError|undefined|\[object|null\b/;
const LOADING_TEXT = /読み込み中|作成中|送信中|Loading…|Preparing…|Sending…/;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The server's own messages (domain/messages.cpp), as the customer listener writes them in each
// language; `request` is what it says for a code without a text of its own (timeout, unavailable).
const SERVER = {
  ja: {
    not_found: 'お探しのページまたはデータは見つかりませんでした。',
    plan_required: 'この機能はスタンダードプランでご利用いただけます。プラン変更からお申し込みください。',
    rate_limited: '短い時間にリクエストが集中しました。しばらく待ってからもう一度お試しください。',
    storage: '一時的に保存できませんでした。しばらく待ってからもう一度お試しください。',
    busy: 'ただいま混み合っています。しばらく待ってからもう一度お試しください。',
    internal: '申し訳ございません。処理中に問題が発生しました。お問い合わせの際は、受付番号をお知らせください。',
    request: 'リクエストを処理できませんでした。',
    json: 'リクエストの内容を読み取れませんでした（JSON形式で送信してください）。',
    unsupported_media_type: '送信形式が正しくありません。次の形式で送信してください。',
    csrf: '画面の有効期限が切れました。ページを再読み込みしてからもう一度お試しください。',
    invalid_credentials: 'CX Support IDまたはパスワードが正しくありません。',
    locked: 'パスワードを5回続けて間違えたため、このIDは30分間ロックされています。30分後にもう一度お試しいただくか、パスワードを再発行してください。',
    session_active: 'このIDは別の場所でログイン中です。ログアウトし忘れた場合は、最後の操作から30分で自動的にログアウトされます。',
    certificate_required: 'このIDは電子証明書でログインする設定ですが、ブラウザから電子証明書が送られませんでした。電子証明書を取り込んだうえでブラウザをいったん閉じて開き直し、ログイン時に表示される証明書の選択で「CX Support」の証明書を選んでください。証明書をまだお持ちでない場合は、メールでお知らせした電子証明書ダウンロードページから取得してください。',
    certificate_mismatch: 'ブラウザから送られた電子証明書は、このIDのものではありません。ブラウザをいったん閉じて開き直し、証明書の選択でこのIDの「CX Support」の証明書を選んでください。',
    certificate_revoked: 'ブラウザから送られた電子証明書は失効しています（新しい証明書の発行などによる）。最新の証明書を選ぶか、電子証明書ダウンロードページで新しい証明書を取得してください。',
    certificate_expired: 'ブラウザから送られた電子証明書は有効期限が切れています。電子証明書ダウンロードページで新しい証明書を取得し、ブラウザに取り込んでください。',
    ticket_expired: 'ワンタイムパスワードの有効期限が切れたか、入力回数の上限を超えました。もう一度ログインしてください。',
    invalid_code: 'ワンタイムパスワードが正しくありません。',
    opid_taken: 'このOPIDはすでに契約済みか、お申し込み手続き中です。',
    too_long: '担当者名は100文字以内で入力してください。',
  },
  en: {
    not_found: 'Not found.',
    plan_required: 'This feature needs the standard plan. You can change the plan in the settings.',
    rate_limited: 'Too many requests. Please wait a moment and try again.',
    storage: 'The change could not be stored. Please try again shortly.',
    busy: 'The service is busy. Please try again in a moment.',
    internal: 'Something went wrong on our side. If you contact support, please give the request ID.',
    request: 'The request could not be completed.',
    json: 'The request body is not valid JSON.',
    unsupported_media_type: 'The body is not of the type this request takes. Send it as',
    csrf: 'The request is missing its CSRF token (X-CSRF-Token). Reload the page and try again.',
    invalid_credentials: 'The CX Support ID or the password is wrong.',
    locked: 'This ID is locked for 30 minutes after five wrong passwords in a row. Try again later or reissue the password.',
    session_active: 'This ID is logged in elsewhere. A session left without logging out is released 30 minutes after its last request.',
    certificate_required: 'This ID logs in with a client certificate, but the browser sent none. Import the certificate, restart the browser and choose the CX Support certificate when the browser asks. If you have none yet, get it from the certificate download page given in your mail.',
    certificate_mismatch: "The certificate the browser sent is not this ID's. Restart the browser and choose this ID's CX Support certificate when it asks.",
    certificate_revoked: 'The certificate the browser sent has been revoked (a newer one was issued, for example). Choose the newest certificate, or get a new one from the certificate download page.',
    certificate_expired: 'The certificate the browser sent has expired. Get a new one from the certificate download page and import it into the browser.',
    ticket_expired: 'The one-time password has expired or was tried too often. Please log in again.',
    invalid_code: 'The one-time password is wrong.',
    opid_taken: 'This OPID already has a contract or a pending application.',
    too_long: 'Person in charge must be at most 100 characters.',
  },
};
const other = (lang) => (lang === 'ja' ? 'en' : 'ja');
const REQUEST_ID = { ja: /受付番号/, en: /Request ID|request ID/ };

// One answer of the API as a route handler: a JSON error (or `abort` for a network failure, or
// `html` for a proxy's page without JSON).
function answer(c) {
  return (route) => {
    if (c.abort) return route.abort('failed');
    if (c.html) return route.fulfill({ status: c.status, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>' });
    const body = c.errors ? { errors: c.errors } : { error: { code: c.code, message: c.message, ...(c.extra ?? {}) } };
    return route.fulfill({ status: c.status, contentType: 'application/json', headers: c.headers ?? {}, body: JSON.stringify(body) });
  };
}

// The errors every request of a page can meet, as the server gives them in `lang`. A 5xx's
// message is given in the other language on purpose for some: the page must not pass it through.
function commonCases(lang) {
  const m = SERVER[lang];
  return [
    { name: '429 rate_limited', status: 429, code: 'rate_limited', message: m.rate_limited, headers: { 'Retry-After': '20' }, has: [/20/] },
    { name: '500 internal', status: 500, code: 'internal', message: m.internal, extra: { request_id: 'e2e0500a1b2c3d4e' }, has: [/e2e0500a1b2c3d4e/, REQUEST_ID[lang]] },
    { name: '503 busy', status: 503, code: 'busy', message: m.busy, extra: { request_id: 'e2e0503b00000001' }, headers: { 'Retry-After': '1' } },
    { name: '503 timeout', status: 503, code: 'timeout', message: m.request, extra: { request_id: 'e2e0503c00000002' } },
    { name: '503 storage (message in the other language)', status: 503, code: 'storage', message: SERVER[other(lang)].storage,
      extra: { request_id: 'e2e0503d00000003' }, has: [/e2e0503d00000003/, REQUEST_ID[lang]] },
    { name: '502 without JSON (a proxy)', status: 502, html: true },
    { name: 'network failure', abort: true },
  ];
}

// The message shown in `selector`: visible, in the page's language, nothing meant for developers.
async function assertMessage(page, selector, lang, what, { has = [], hasNot = [] } = {}) {
  const box = page.locator(selector).first();
  await box.waitFor({ state: 'visible', timeout: 15000 });
  const text = (await box.innerText()).replace(/\s+/g, ' ').trim();
  assert.ok(text.length > 5, `${what}: a message is shown`);
  if (lang === 'ja') assert.match(text, JAPANESE, `${what}: Japanese on a Japanese page: "${text}"`);
  else assert.doesNotMatch(text, JAPANESE, `${what}: no Japanese on an English page: "${text}"`);
  assert.doesNotMatch(text, NOT_FOR_PEOPLE, `${what}: nothing meant for developers: "${text}"`);
  for (const re of has) assert.match(text, re, `${what}: "${text}"`);
  for (const s of hasNot) assert.ok(!text.includes(s), `${what}: "${s}" must not be shown: "${text}"`);
  return text;
}

// What is still loading on the page, and which of `buttons` are missing or disabled.
const loadingState = (page, buttons) => page.evaluate(([sels, loadingText]) => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const name = (el) => el.id || el.getAttribute('data-download') || el.className || el.tagName;
  const main = document.querySelector('main')?.innerText ?? '';
  return {
    busy: [...document.querySelectorAll('[aria-busy="true"]')].map(name),
    spinners: [...document.querySelectorAll('.loading, .spinner')].filter(visible).map(name),
    loadingText: new RegExp(loadingText).exec(main)?.[0] ?? null,
    disabled: sels.filter((sel) => { const b = document.querySelector(sel); return !b || b.disabled || b.getAttribute('aria-busy') === 'true'; }),
  };
}, [buttons, LOADING_TEXT.source]);

async function assertSettled(page, what, buttons = []) {
  const done = { busy: [], spinners: [], loadingText: null, disabled: [] };
  const deadline = Date.now() + 5000;
  let state = await loadingState(page, buttons);
  while (JSON.stringify(state) !== JSON.stringify(done) && Date.now() < deadline) {
    await sleep(100);
    state = await loadingState(page, buttons);
  }
  assert.deepEqual(state, done, `${what}: nothing left loading, the buttons enabled`);
}

// Console errors other than the failed loads the routes make on purpose (a 5xx, an abort).
const realConsoleErrors = (page) => page.consoleErrors.filter((e) => !/^Failed to load resource/.test(e));

let server;
let browser;
const accounts = {};
const pages = {};
const ANALYSIS = '/analytics/traffic';

before(async () => {
  server = await new Server({ clock: true }).start();
  browser = await launchBrowser();
  // One account per language: each page keeps its own session (one session per ID).
  for (const [lang, opid] of [['ja', 'SHOP0002'], ['en', 'CLINIC03']]) {
    const entry = opidEntry(opid);
    accounts[lang] = await server.createAccount({ opid, registered: jstDate(-60), email: `errors-${lang}@example.com` });
    await server.ingest([1, 2, 3, 4].map((i) => ({
      call_id: `errors-${lang}-${i}`, start: jstStart(jstDate(-i), 10 + i), an: entry.ans[0].an,
      dn: i % 2 ? entry.ans[0].dns[0] : '', caller: `031234500${i}`, duration_s: i % 2 ? 60 * i : 0, result: i % 2 ? 'completed' : 'busy',
    })));
    pages[lang] = await newPage(browser, { lang });
    await loginThroughPages(pages[lang], server, accounts[lang].id);
  }
});
after(async () => {
  server?.setClock?.(0);
  await browser?.close();
  await server?.stop();
});

const isAnalysis = (u) => u.pathname === '/api/analytics/traffic' && u.searchParams.get('format') !== 'csv';
const DOWNLOADS = ['png', 'pdf', 'pptx', 'csv'].map((k) => `button[data-download="${k}"]`);

async function showData(page) {
  await page.goto(server.customerUrl + ANALYSIS);
  await page.waitForSelector('#data-table tbody tr[data-t]');
  await assertSettled(page, 'the analysis shown', ['#apply-filters', ...DOWNLOADS]);
}

for (const lang of ['ja', 'en']) {
  test(`${lang}: an analysis page explains every error of its API and is left loading by none`, async () => {
    const page = pages[lang];
    const m = SERVER[lang];
    const invalidDetail = "from '2026-13-01' is not a date: use YYYY-MM-DD";
    const cases = [
      // The server's detail of a 400 is English whatever the language (domain/analysis.cpp).
      { name: '400 invalid_parameter', status: 400, code: 'invalid_parameter', message: invalidDetail, extra: { field: 'from' },
        field: 'from', has: [lang === 'ja' ? /開始日/ : /From/], hasNot: lang === 'ja' ? [invalidDetail] : [] },
      { name: '404 not_found', status: 404, code: 'not_found', message: m.not_found },
      { name: '400 json', status: 400, code: 'json', message: m.json },
      ...commonCases(lang),
    ];
    for (const c of cases) {
      const what = `${lang} ${ANALYSIS} ${c.name}`;
      // The first load fails: the message, and no "loading…" left where the figures would be.
      await page.route(isAnalysis, answer(c));
      await page.goto(server.customerUrl + ANALYSIS);
      await assertMessage(page, '.analysis .alerts .alert.error', lang, `${what} (first load)`, c);
      await assertSettled(page, `${what} (first load)`, ['#apply-filters']);
      if (c.field) assert.equal(await page.getAttribute(`#filters [name="${c.field}"]`, 'aria-invalid'), 'true', `${what}: the field is marked`);
      // A new load over figures already shown fails: the figures and their downloads stay usable.
      await page.unroute(isAnalysis);
      await showData(page);
      await page.route(isAnalysis, answer(c));
      await page.click('#apply-filters');
      await assertMessage(page, '.analysis .alerts .alert.error', lang, `${what} (reload)`, c);
      await assertSettled(page, `${what} (reload)`, ['#apply-filters', ...DOWNLOADS]);
      await page.unroute(isAnalysis);
    }

    // 403 plan_required: the page offers the standard plan instead (in the page's language).
    await page.route(isAnalysis, answer({ status: 403, code: 'plan_required', message: m.plan_required }));
    await page.goto(server.customerUrl + ANALYSIS);
    await assertMessage(page, '#plan-offer', lang, `${lang} 403 plan_required`);
    await assertSettled(page, `${lang} 403 plan_required`, ['#plan-offer-link']);
    await page.unroute(isAnalysis);
    assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
  });

  test(`${lang}: a CSV download that fails is explained and its button works again`, async () => {
    const page = pages[lang];
    const isCsv = (u) => u.pathname === '/api/analytics/traffic' && u.searchParams.get('format') === 'csv';
    await showData(page);
    const cases = [
      { name: '404 not_found', status: 404, code: 'not_found', message: SERVER[lang].not_found },
      ...commonCases(lang),
    ];
    for (const c of cases) {
      const what = `${lang} CSV ${c.name}`;
      await page.route(isCsv, answer(c));
      await page.click('button[data-download="csv"]');
      await assertMessage(page, '.analysis .alerts .alert.error[data-download-error]', lang, what, c);
      await assertSettled(page, what, ['#apply-filters', ...DOWNLOADS]);
      assert.equal((await page.textContent('.download-status')).trim(), '', `${what}: no "preparing" left`);
      await page.unroute(isCsv);
    }
    assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
  });

  test(`${lang}: the settings save explains every refusal and gives the button back`, async () => {
    const page = pages[lang];
    const m = SERVER[lang];
    const putMe = (u) => u.pathname === '/api/me';
    const submit = '#settings-form [type="submit"]';
    await page.goto(server.customerUrl + '/settings');
    await page.waitForSelector('#settings-form');
    const label = (await page.textContent(submit)).trim();
    await page.fill('#settings-form [name="person"]', lang === 'ja' ? '変更 花子' : 'Changed Person');
    const cases = [
      { name: '403 csrf', status: 403, code: 'csrf', message: m.csrf },
      { name: '415 unsupported_media_type', status: 415, code: 'unsupported_media_type', message: m.unsupported_media_type },
      { name: '413 too_large (no text of its own)', status: 413, code: 'too_large', message: m.request },
      ...commonCases(lang),
    ];
    for (const c of cases) {
      const what = `${lang} settings ${c.name}`;
      const handler = answer(c);
      await page.route(putMe, (route) => (route.request().method() === 'PUT' ? handler(route) : route.continue()));
      await page.click(submit);
      await assertMessage(page, '#settings-messages .alert', lang, what, c);
      await assertSettled(page, what, [submit]);
      assert.equal((await page.textContent(submit)).trim(), label, `${what}: the button's own label again`);
      await page.unroute(putMe);
    }
    // 422: the server's field errors at their fields (in the page's language), the button back.
    await page.route(putMe, (route) => (route.request().method() === 'PUT'
      ? answer({ status: 422, errors: [{ field: 'person', code: 'too_long', message: m.too_long }] })(route) : route.continue()));
    await page.click(submit);
    await assertMessage(page, '#error-person', lang, `${lang} settings 422`);
    await assertMessage(page, '#settings-form-summary', lang, `${lang} settings 422 summary`);
    await assertSettled(page, `${lang} settings 422`, [submit]);
    await page.unroute(putMe);
    assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
  });

  test(`${lang}: the report page explains every failure and gives its buttons back`, async () => {
    const page = pages[lang];
    const analyses = (u) => u.pathname.startsWith('/api/analytics/');
    await page.goto(server.customerUrl + '/report');
    await page.waitForSelector('#main [name="report-item"]');
    for (const item of await page.$$('#main [name="report-item"]')) await item.uncheck();
    await page.check('[name="report-item"][value="traffic"]');
    const cases = [
      { name: '404 not_found', status: 404, code: 'not_found', message: SERVER[lang].not_found },
      ...commonCases(lang),
    ];
    for (const c of cases) {
      const what = `${lang} report ${c.name}`;
      await page.route(analyses, answer(c));
      await page.click('#report-pdf');
      await assertMessage(page, '#report-status .alert.error', lang, what, c);
      await assertSettled(page, what, ['#report-pdf', '#report-pptx']);
      await page.unroute(analyses);
    }
    assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
  });

  test(`${lang}: a page whose session cannot be checked (5xx, network) says so instead of the login`, async () => {
    const page = pages[lang];
    const me = (u) => u.pathname === '/api/me';
    for (const c of [commonCases(lang)[1], commonCases(lang)[6]]) {
      const what = `${lang} /settings with GET /api/me ${c.name}`;
      await page.route(me, answer(c));
      await page.goto(server.customerUrl + '/settings');
      await assertMessage(page, '#page-error .alert.error', lang, what, c);
      assert.equal(new URL(page.url()).pathname, '/settings', `${what}: not sent to the login`);
      await assertSettled(page, what);
      await page.unroute(me);
    }
    assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
  });

  test(`${lang}: the sign-up form explains every answer of POST /api/signup`, async () => {
    const page = await newPage(browser, { lang });
    const m = SERVER[lang];
    const shop = opidEntry('SHOP0002');
    const submit = '#signup-form [type="submit"]';
    await page.goto(server.customerUrl + '/signup');
    await page.fill('#signup-form [name="contractor_name"]', lang === 'ja' ? '株式会社エラー試験' : 'Error Test Ltd.');
    await page.selectOption('#signup-form [name="industry"]', '卸売業・小売業');
    await page.fill('#signup-form [name="phone"]', '03-1234-5678');
    await page.fill('#signup-form [name="person"]', lang === 'ja' ? '試験 花子' : 'Hanako Test');
    await page.fill('#signup-form [name="email"]', `signup-${lang}@example.com`);
    await page.fill('#signup-form [name="opid"]', 'SHOP0002');
    await page.fill('#signup-form [name="an"]', shop.ans[0].an);
    await page.fill('#signup-form [name="dn"]', shop.ans[0].dns[0]);
    await page.check('#signup-form [name="plan"][value="free"]');
    await page.fill('#signup-form [name="password"]', 'Passw0rdErr');
    await page.fill('#signup-form [name="password_confirm"]', 'Passw0rdErr');
    await page.check('#signup-form [name="auth_method"][value="otp"]');
    const label = (await page.textContent(submit)).trim();
    const signup = (u) => u.pathname === '/api/signup';
    const cases = [
      { name: '400 json', status: 400, code: 'json', message: m.json },
      { name: '415 unsupported_media_type', status: 415, code: 'unsupported_media_type', message: m.unsupported_media_type },
      ...commonCases(lang),
    ];
    for (const c of cases) {
      const what = `${lang} sign-up ${c.name}`;
      await page.route(signup, answer(c));
      await page.click(submit);
      await assertMessage(page, 'main .messages .alert', lang, what, c);
      await assertSettled(page, what, [submit]);
      assert.equal((await page.textContent(submit)).trim(), label, `${what}: the button's own label again`);
      await page.unroute(signup);
    }
    await page.route(signup, answer({ status: 422, errors: [{ field: 'opid', code: 'opid_taken', message: m.opid_taken }] }));
    await page.click(submit);
    await assertMessage(page, '#error-opid', lang, `${lang} sign-up 422`, { has: [/OPID/] });
    await assertMessage(page, '#signup-form-summary', lang, `${lang} sign-up 422 summary`);
    await assertSettled(page, `${lang} sign-up 422`, [submit]);
    await page.unroute(signup);
    assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
    await page.context().close();
  });

  test(`${lang}: the login form and its one-time password step explain every code`, async () => {
    const page = await newPage(browser, { lang });
    const m = SERVER[lang];
    const login = (u) => u.pathname === '/api/login';
    const otp = (u) => u.pathname === '/api/login/otp';
    const submitPassword = '#login-form [type="submit"]';
    const submitCode = '#otp-form [type="submit"]';
    await page.goto(server.customerUrl + '/login');
    await page.waitForSelector('#login-form');
    const tryPassword = async () => {
      await page.fill('#login-form [name="id"]', 'AbCdE12345');
      await page.fill('#login-form [name="password"]', 'Passw0rdErr');
      await page.click(submitPassword);
    };
    const passwordCases = [
      { name: '401 invalid_credentials', status: 401, code: 'invalid_credentials', message: m.invalid_credentials },
      { name: '401 invalid_credentials (message in the other language)', status: 401, code: 'invalid_credentials', message: SERVER[other(lang)].invalid_credentials,
        hasNot: [SERVER[other(lang)].invalid_credentials] },
      { name: '423 locked', status: 423, code: 'locked', message: m.locked, box: '#error-locked' },
      { name: '409 session_active', status: 409, code: 'session_active', message: m.session_active, box: '#error-session-active', take: true },
      // Certificate login (SPEC §16): each code in #error-certificate[data-code], with the way to /certsrv/.
      ...['certificate_required', 'certificate_mismatch', 'certificate_revoked', 'certificate_expired'].map((code) => ({
        name: `401 ${code}`, status: 401, code, message: m[code], box: `#error-certificate[data-code="${code}"]`, certsrv: true })),
      { name: '401 certificate_mismatch (message in the other language)', status: 401, code: 'certificate_mismatch',
        message: SERVER[other(lang)].certificate_mismatch, box: '#error-certificate[data-code="certificate_mismatch"]', certsrv: true,
        hasNot: [SERVER[other(lang)].certificate_mismatch] },
      { name: '400 json', status: 400, code: 'json', message: m.json },
      ...commonCases(lang),
    ];
    for (const c of passwordCases) {
      const what = `${lang} login ${c.name}`;
      await page.route(login, answer(c));
      await tryPassword();
      await assertMessage(page, c.box ?? '#login-messages .alert', lang, what, c);
      await assertSettled(page, what, [submitPassword, ...(c.take ? ['#take-over'] : [])]);
      if (c.certsrv) assert.equal(await page.locator(`${c.box} a[href="/certsrv/"]`).count(), 1, `${what}: the link to the download page`);
      await page.unroute(login);
    }

    // The second step: the password passes (routed), then each answer of POST /api/login/otp.
    await page.route(login, (route) => route.fulfill({ status: 200, contentType: 'application/json',
      body: JSON.stringify({ second_factor: 'otp', ticket: 'T'.repeat(43) }) }));
    const toCode = async () => {
      if (!(await page.isVisible('#otp-form'))) { await tryPassword(); await page.waitForSelector('#otp-form'); }
      await page.fill('#otp-form [name="code"]', '123456');
      await page.click(submitCode);
    };
    const codeCases = [
      { name: '401 invalid_code', status: 401, code: 'invalid_code', message: m.invalid_code, after: submitCode },
      { name: '423 locked', status: 423, code: 'locked', message: m.locked, box: '#error-locked', after: submitCode },
      { name: '401 ticket_expired', status: 401, code: 'ticket_expired', message: m.ticket_expired, after: submitPassword },
      { name: '409 session_active', status: 409, code: 'session_active', message: m.session_active, box: '#error-session-active', after: submitPassword },
      ...commonCases(lang).map((c) => ({ ...c, after: submitCode })),
    ];
    for (const c of codeCases) {
      const what = `${lang} one-time password ${c.name}`;
      await page.route(otp, answer(c));
      await toCode();
      await assertMessage(page, c.box ?? '#login-messages .alert', lang, what, c);
      await assertSettled(page, what, [c.after]);
      await page.unroute(otp);
    }
    await page.unroute(login);
    assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
    await page.context().close();
  });
}

// Last: it ends both sessions. A real 401 (no route): 31 minutes without a request on the test
// clock, then a new load of the analysis (Japanese) and a CSV download (English).
test('a session that ended leads an analysis page to the login page with its notice', async () => {
  for (const lang of ['ja', 'en']) await showData(pages[lang]);
  server.setClock(31 * 60);
  try {
    await pages.ja.click('#apply-filters');
    await pages.en.click('button[data-download="csv"]');
    for (const lang of ['ja', 'en']) {
      const page = pages[lang];
      await page.waitForURL((url) => url.pathname === '/login', { timeout: 15000 });
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('reason'), 'expired', `${lang}: the reason`);
      assert.match(url.searchParams.get('next') ?? '', /^\/analytics\/traffic/, `${lang}: back to the analysis after the login`);
      await assertMessage(page, '#notice-expired', lang, `${lang} the expired-session notice`, { has: [lang === 'ja' ? /ログイン/ : /log in/i] });
      await assertSettled(page, `${lang} the login page`, ['#login-form [type="submit"]']);
      assert.deepEqual(realConsoleErrors(page), [], `${lang}: no script errors`);
    }
  } finally {
    server.setClock(0);
  }
});
