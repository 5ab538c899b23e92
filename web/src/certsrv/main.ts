// /certsrv/: the Japanese download page of client certificates (SPEC §5, §16). The server serves
// it behind HTTP Basic auth with the download account from mail (3/3); the browser re-sends those
// credentials with every request below. One page, built once:
//   1. the CX Support ID and its certificates (GET /certsrv/status);
//   2. issue a key and certificate as a PKCS#12 file and its one-time-shown password (POST /certsrv/issue);
//   3. for advanced users, sign their own certificate request (POST /certsrv/csr);
//   4. the import steps for the visitor's browser and OS (import-steps.ts), any other on request;
//   5. the way back to the login page.
// No inline script or style (the CSP forbids them); markup only through h().

import '../styles.css';
import './certsrv.css';
import { h, clear, append } from '../dom';
import { getStatus, issue, signCsr, explain, CertError, type Status, type Certificate, type Issued } from './api';
import { detect } from './platform';
import { PLATFORMS, GUIDES, FINISH_STEPS, DEFAULT_PLATFORM, type Step, type PlatformKey } from './import-steps';

// ---- Small helpers ----------------------------------------------------------------------------

const JST_DATE = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' });

// A JST calendar date ("2027年12月3日"), or the text as it came when it is no date.
function jstDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? JST_DATE.format(new Date(ms)) : iso;
}

const isValid = (c: Certificate) => !c.revoked && !(Date.parse(c.not_after) <= Date.now());

function base64ToBlob(base64: string, type: string): Blob {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

// Saves a blob under a file name (an <a download> click on an object URL).
function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// Copies a text; when the browser does not allow it, selects the text for Ctrl+C instead.
async function copyText(text: string, shown: HTMLElement, statusLine: HTMLElement): Promise<void> {
  statusLine.textContent = '';
  try {
    // A browser that neither allows nor refuses (a permission never answered) counts as refusing.
    await Promise.race([navigator.clipboard.writeText(text),
      new Promise((_, reject) => { setTimeout(() => reject(new Error('clipboard timeout')), 3000); })]);
    statusLine.textContent = 'コピーしました。';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(shown);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    statusLine.textContent = '自動ではコピーできませんでした。選択された文字を Ctrl+C（Mac では ⌘+C）でコピーしてください。';
  }
}

// A command or address to type: on its own, monospace, with a copy button.
function commandBox(id: string, text: string): HTMLElement {
  const code = h('code', { id }, text);
  const copied = h('span', { class: 'copy-status small', role: 'status' });
  return h('div', { class: 'command-box' },
    h('pre', { class: 'command' }, code),
    h('div', { class: 'command-actions' },
      h('button', { type: 'button', class: 'secondary small-button', id: `copy-${id}`,
        onclick: () => { void copyText(code.textContent ?? '', code, copied); } }, 'コピー'),
      copied));
}

// An error box: what could not be done, the reason, what to do next, and a 5xx's request ID.
function errorBox(lead: string, error: unknown, id: string): HTMLElement {
  const e = explain(error);
  const requestId = e.requestId && !e.message.includes(e.requestId) ? e.requestId : null;
  return h('div', { class: 'alert error', role: 'alert', id, 'data-status': String(e.status), 'data-code': e.code },
    h('p', { class: 'error-message' }, h('strong', {}, lead), e.message),
    e.next ? h('p', { class: 'error-next' }, e.next) : null,
    requestId ? h('p', { class: 'small request-id', 'data-request-id': requestId }, `受付番号: ${requestId}`) : null);
}

// A button's busy state, always undone (in a finally).
function setBusy(button: HTMLButtonElement, busy: boolean, busyLabel: string, idleLabel: string): void {
  button.disabled = busy;
  button.textContent = busy ? busyLabel : idleLabel;
  if (busy) button.setAttribute('aria-busy', 'true'); else button.removeAttribute('aria-busy');
}

// An in-place confirmation: a warning, "go on" and "cancel". Escape cancels.
function confirmBox(prefix: string, message: string, goLabel: string, onGo: () => void, onCancel: () => void): HTMLElement {
  const box = h('div', { class: 'alert warn confirm-box', id: `${prefix}-confirm-box`, role: 'group', 'aria-labelledby': `${prefix}-confirm-text`,
    onkeydown: ((event: KeyboardEvent) => { if (event.key === 'Escape') { event.preventDefault(); onCancel(); } }) as EventListener },
  h('p', { id: `${prefix}-confirm-text` }, message),
  h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'danger', id: `${prefix}-confirm`, onclick: onGo }, goLabel),
    h('button', { type: 'button', class: 'secondary', id: `${prefix}-cancel`, onclick: onCancel }, 'やめる')));
  return box;
}

// ---- State ------------------------------------------------------------------------------------

let status: Status | null = null;
let statusError: unknown = null;
let statusLoading = true;
let platform: PlatformKey = DEFAULT_PLATFORM;

const id = () => status?.id || '';
const fileBase = () => `cxs-${id() || '（ID）'}`;
const validCertificates = () => status?.certificates.filter(isValid) ?? [];
// Issuing revokes what is valid: ask first when something is, or when the list could not be read.
const mustConfirm = () => status === null || validCertificates().length > 0;

// ---- 1. The ID and its certificates -----------------------------------------------------------

const idValue = h('dd', { id: 'cxs-id', class: 'cxs-id' }, '—');
const certList = h('div', { id: 'cert-list', 'aria-live': 'polite', 'aria-busy': 'true' });

function renderStatus(): void {
  clear(certList);
  if (status) {
    idValue.textContent = status.id;
    idValue.setAttribute('data-id', status.id);
  }
  if (statusLoading) {
    certList.setAttribute('aria-busy', 'true');
    certList.append(h('p', { class: 'muted loading' }, '読み込み中…'));
    return;
  }
  certList.setAttribute('aria-busy', 'false');
  if (statusError) {
    certList.append(errorBox('証明書の一覧を読み込めませんでした。', statusError, 'status-error'),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'status-retry', onclick: () => { void loadStatus(); } }, 'もう一度読み込む')));
  }
  if (!status) return;
  if (status.certificates.length === 0) {
    certList.append(h('p', { id: 'cert-empty', class: 'empty' },
      '発行済みの証明書はまだありません。下の「証明書を発行する」から発行してください。'));
    return;
  }
  const rows = status.certificates.map((c) => {
    const state = c.revoked ? 'revoked' : isValid(c) ? 'valid' : 'expired';
    const label = state === 'valid' ? '有効' : state === 'revoked' ? `失効済み（${jstDate(c.revoked ?? '')}）` : '期限切れ';
    return h('tr', { class: 'cert-row', 'data-serial': c.serial, 'data-state': state },
      h('td', { class: 'serial' }, h('code', {}, c.serial)),
      h('td', { class: 'not-after', 'data-value': c.not_after }, jstDate(c.not_after)),
      h('td', { class: 'state' }, h('span', { class: `cert-state state-${state}` }, label)));
  });
  certList.append(
    h('div', { class: 'table-wrap' },
      h('table', { id: 'cert-table', class: 'cert-table' },
        h('caption', { class: 'sr-only' }, '証明書の一覧（新しい順）'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'シリアル番号'), h('th', { scope: 'col' }, '有効期限'), h('th', { scope: 'col' }, '状態'))),
        h('tbody', {}, rows))),
    h('p', { class: 'hint' }, 'ログインに使えるのは「有効」の証明書だけです。新しい証明書を発行すると、それまでの証明書は失効します。'));
}

async function loadStatus(): Promise<void> {
  statusLoading = true;
  renderStatus();
  try {
    status = await getStatus();
    statusError = null;
  } catch (error) {
    statusError = error;
  } finally {
    statusLoading = false;
    renderStatus();
    renderIssueWarning();
    renderCsrCommand();
    renderGuide();
  }
}

// ---- 2. Issue a key and certificate (PKCS#12) -------------------------------------------------

const ISSUE_LABEL = '証明書を発行する';
const issueButton = h('button', { type: 'button', id: 'issue-button', onclick: () => onIssue() }, ISSUE_LABEL);
const issueWarning = h('div', { id: 'issue-warning' });
const issueConfirm = h('div', { id: 'issue-confirm-slot' });
const issueMessages = h('div', { id: 'issue-messages', class: 'messages' });
const issueResult = h('div', { id: 'issue-result' });
let lastP12: { blob: Blob; filename: string } | null = null;

function renderIssueWarning(): void {
  clear(issueWarning);
  const valid = validCertificates();
  if (valid.length === 0) return;
  issueWarning.append(h('div', { class: 'alert warn' },
    h('p', {}, `いま有効な証明書があります（有効期限 ${jstDate(valid[0].not_after)}）。新しく発行すると、その証明書は失効し、ログインに使えなくなります。`)));
}

function closeIssueConfirm(focus = true): void {
  clear(issueConfirm);
  if (focus) issueButton.focus();
}

function onIssue(): void {
  if (issueButton.disabled) return;
  clear(issueMessages);
  if (!mustConfirm()) { void doIssue(); return; }
  clear(issueConfirm);
  const valid = validCertificates();
  const message = valid.length > 0
    ? `新しい証明書を発行すると、いま有効な証明書（有効期限 ${jstDate(valid[0].not_after)}）は失効し、取り込み済みのブラウザでもログインできなくなります。発行してよろしいですか？`
    : '新しい証明書を発行すると、いま有効な証明書がある場合は失効し、ログインに使えなくなります。発行してよろしいですか？';
  issueConfirm.append(confirmBox('issue', message, '失効させて新しく発行する', () => { closeIssueConfirm(false); void doIssue(); }, () => closeIssueConfirm()));
  issueConfirm.querySelector<HTMLButtonElement>('#issue-confirm')?.focus();
}

async function doIssue(): Promise<void> {
  clear(issueMessages);
  setBusy(issueButton, true, '発行しています…', ISSUE_LABEL);
  try {
    const issued = await issue();
    const filename = `cxs-${issued.id || id()}.p12`;
    const blob = base64ToBlob(issued.pkcs12, 'application/x-pkcs12');
    lastP12 = { blob, filename };
    saveBlob(blob, filename);
    showIssued(issued, filename);
    void loadStatus();
  } catch (error) {
    issueMessages.append(errorBox('証明書を発行できませんでした。', error, 'issue-error'));
  } finally {
    setBusy(issueButton, false, '発行しています…', ISSUE_LABEL);
  }
}

function showIssued(issued: Issued, filename: string): void {
  clear(issueResult);
  const title = h('h3', { id: 'issue-done-title', tabindex: '-1' }, '証明書を発行しました');
  const password = h('code', { id: 'p12-password', class: 'p12-password', 'aria-labelledby': 'p12-password-label' }, issued.password);
  const copied = h('p', { id: 'copy-status', class: 'small copy-status', role: 'status' });
  issueResult.append(
    h('div', { class: 'alert ok', id: 'issue-done', 'data-serial': issued.serial },
      title,
      h('p', {}, `証明書のファイル「${filename}」のダウンロードを始めました（有効期限 ${jstDate(issued.not_after)}）。`,
        '保存されていないときは、次のボタンでもう一度保存できます。'),
      h('button', { type: 'button', class: 'secondary', id: 'p12-save',
        onclick: () => { if (lastP12) saveBlob(lastP12.blob, lastP12.filename); } }, 'ファイルをもう一度保存する')),
    h('div', { class: 'password-panel' },
      h('p', { class: 'label', id: 'p12-password-label' }, '証明書のパスワード'),
      h('div', { class: 'password-row' }, password,
        h('button', { type: 'button', id: 'copy-password', class: 'secondary',
          onclick: () => { void copyText(issued.password, password, copied); } }, 'コピー')),
      copied),
    h('div', { class: 'alert warn', id: 'p12-password-note' },
      h('p', {}, h('strong', {}, 'このパスワードは、いまこの画面にしか表示されません。')),
      h('p', {}, `ページを閉じたり再読み込みしたりすると、二度と表示できません。証明書を取り込むときは、ファイル「${filename}」とこのパスワードの両方が必要です。`,
        '書き留めるかコピーして、ほかの人に見られない場所に控えてください。'),
      h('p', {}, 'パスワードを控え忘れたときは、証明書をもう一度発行してください（そのときは、この証明書が失効します）。')),
    h('p', {}, h('a', { href: '#import-card' }, '証明書の取り込み方法を見る')));
  title.focus();
}

// ---- 3. The customer's own key (CSR) ----------------------------------------------------------

const CSR_LABEL = 'CSR を送信して証明書を受け取る';
const csrCommandSlot = h('div', { id: 'csr-command-slot' });
const csrText = h('textarea', { id: 'csr-text', name: 'csr', rows: 8, spellcheck: 'false', autocomplete: 'off', class: 'csr-text',
  'aria-describedby': 'csr-hint csr-error', placeholder: '-----BEGIN CERTIFICATE REQUEST-----' });
const csrError = h('div', { id: 'csr-error', class: 'field-error', 'aria-live': 'polite' });
const csrFile = h('input', { type: 'file', id: 'csr-file', accept: '.csr,.pem,.req,.txt', 'aria-describedby': 'csr-file-hint' });
const csrSubmit = h('button', { type: 'submit', id: 'csr-submit' }, CSR_LABEL);
const csrConfirm = h('div', { id: 'csr-confirm-slot' });
const csrMessages = h('div', { id: 'csr-errors', class: 'messages' });
const csrResult = h('div', { id: 'csr-result' });
const csrHint = h('p', { id: 'csr-hint', class: 'hint' });
let lastCrt: { blob: Blob; filename: string } | null = null;

function renderCsrCommand(): void {
  const base = fileBase();
  clear(csrCommandSlot);
  csrCommandSlot.append(commandBox('csr-command',
    `openssl req -new -newkey rsa:2048 -nodes -keyout ${base}.key -subj "/CN=${id() || '（ID）'}" -out ${base}.csr`));
  csrHint.textContent = `「${base}.csr」の中身（-----BEGIN CERTIFICATE REQUEST----- から -----END CERTIFICATE REQUEST----- まで）をそのまま貼り付けてください。`;
}

function setCsrError(message: string, code: string): void {
  csrError.textContent = message;
  csrError.setAttribute('data-code', code);
  csrText.setAttribute('aria-invalid', 'true');
}

function clearCsrError(): void {
  csrError.textContent = '';
  csrError.removeAttribute('data-code');
  csrText.removeAttribute('aria-invalid');
}

const looksLikeKey = (text: string) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
const KEY_REFUSED = () => `これは秘密鍵です。秘密鍵は送信しないでください（お手元から出さないでください）。「${fileBase()}.csr」の中身を使ってください。`;

async function onCsrFile(): Promise<void> {
  const file = csrFile.files?.[0];
  if (!file) return;
  clearCsrError();
  if (file.size > 64 * 1024) {
    setCsrError('ファイルが大きすぎます。CSR のファイル（.csr）を選んでください。', 'csr_file');
    csrFile.value = '';
    return;
  }
  let text = '';
  try { text = await file.text(); } catch { text = ''; }
  csrFile.value = '';
  if (looksLikeKey(text)) { setCsrError(KEY_REFUSED(), 'private_key'); csrText.focus(); return; }
  if (!text.trim()) { setCsrError('ファイルを読み込めませんでした。CSR のファイル（.csr）を選んでください。', 'csr_file'); return; }
  csrText.value = text.trim() + '\n';
  csrText.focus();
}

function onCsrSubmit(event: Event): void {
  event.preventDefault();
  if (csrSubmit.disabled) return;
  clear(csrMessages);
  clearCsrError();
  const text = csrText.value.trim();
  if (!text) { setCsrError('CSR を貼り付けるか、ファイルを選んでください。', 'csr_empty'); csrText.focus(); return; }
  if (looksLikeKey(text)) { csrText.value = ''; setCsrError(KEY_REFUSED(), 'private_key'); csrText.focus(); return; }
  if (!mustConfirm()) { void doCsr(text); return; }
  clear(csrConfirm);
  csrConfirm.append(confirmBox('csr',
    '新しい証明書を発行すると、いま有効な証明書は失効し、取り込み済みのブラウザでもログインできなくなります。発行してよろしいですか？',
    '失効させて新しく発行する',
    () => { clear(csrConfirm); void doCsr(text); },
    () => { clear(csrConfirm); csrSubmit.focus(); }));
  csrConfirm.querySelector<HTMLButtonElement>('#csr-confirm')?.focus();
}

async function doCsr(text: string): Promise<void> {
  clear(csrMessages);
  clearCsrError();
  setBusy(csrSubmit, true, '送信しています…', CSR_LABEL);
  try {
    const pem = await signCsr(text + '\n');
    const filename = `${fileBase()}.crt`;
    const blob = new Blob([pem], { type: 'application/x-pem-file' });
    lastCrt = { blob, filename };
    saveBlob(blob, filename);
    showCsrDone(filename);
    void loadStatus();
  } catch (error) {
    const fieldErrors = error instanceof CertError && error.status === 422 ? error.errors : [];
    if (fieldErrors.length > 0) {
      const first = fieldErrors.find((e) => e.field === 'csr') ?? fieldErrors[0];
      setCsrError(first.message, first.code);
      csrText.focus();
    } else {
      csrMessages.append(errorBox('証明書を発行できませんでした。', error, 'csr-request-error'));
    }
  } finally {
    setBusy(csrSubmit, false, '送信しています…', CSR_LABEL);
  }
}

function showCsrDone(filename: string): void {
  clear(csrResult);
  const base = fileBase();
  const title = h('h3', { id: 'csr-done-title', tabindex: '-1' }, '証明書を発行しました');
  csrResult.append(
    h('div', { class: 'alert ok', id: 'csr-done' },
      title,
      h('p', {}, `証明書のファイル「${filename}」のダウンロードを始めました。保存されていないときは、次のボタンでもう一度保存できます。`),
      h('button', { type: 'button', class: 'secondary', id: 'crt-save',
        onclick: () => { if (lastCrt) saveBlob(lastCrt.blob, lastCrt.filename); } }, 'ファイルをもう一度保存する')),
    h('h3', {}, '取り込み用のファイル（.p12）にまとめる'),
    h('p', {}, `秘密鍵「${base}.key」と同じフォルダーに、「${filename}」を置きます。`),
    h('p', {}, 'そのフォルダーで次のコマンドを実行し、取り込みのときに使うパスワードを決めて 2 回入力します。'),
    commandBox('csr-bundle-command', `openssl pkcs12 -export -inkey ${base}.key -in ${base}.crt -out ${base}.p12`),
    h('p', { class: 'hint' }, '発行元の CA 証明書は .p12 に含めません（ブラウザは CA 証明書がなくても証明書を選べます。パソコンに CA を「信頼」させる必要はありません）。発行元を確かめるときは ',
      h('a', { href: '/certsrv/ca.pem', download: 'ca.pem', id: 'ca-link' }, 'CA 証明書（ca.pem）'), ' をお使いください。'),
    h('p', { class: 'hint' }, 'macOS のキーチェーンに取り込めない場合は、コマンドの最後に -legacy を付けて作り直してください。'),
    h('p', {}, `できた「${base}.p12」は、「証明書の取り込み方法」の手順で取り込めます。`, ' ', h('a', { href: '#import-card' }, '取り込み方法を見る')));
  title.focus();
}

// ---- 4. Import steps --------------------------------------------------------------------------

const detected = detect();
if (detected.key) platform = detected.key;

const platformSelect = h('select', { id: 'import-platform', name: 'platform',
  onchange: () => { platform = platformSelect.value as PlatformKey; renderGuide(); } },
PLATFORMS.map((p) => h('option', { value: p.key, selected: p.key === platform },
  p.key === detected.key ? `${p.label}（お使いの環境）` : p.label)));
const guide = h('div', { id: 'import-guide', 'aria-live': 'polite' });

const fill = (text: string) => text.replaceAll('{file}', `${fileBase()}.p12`).replaceAll('{id}', id() || 'お客様の CX Support ID');

function stepItem(step: Step): HTMLLIElement {
  return h('li', {},
    fill(step.text),
    step.code ? h('pre', { class: 'command' }, h('code', {}, fill(step.code))) : null,
    step.note ? h('p', { class: 'hint' }, fill(step.note)) : null);
}

function renderGuide(): void {
  clear(guide);
  const g = GUIDES[platform];
  guide.setAttribute('data-platform', platform);
  if (!g) return;
  append(guide, [
    h('p', { class: 'import-store' }, g.store),
    h('ol', { id: 'import-steps', class: 'steps', 'data-platform': platform }, g.steps.map(stepItem)),
    g.alternative ? h('div', { class: 'import-alternative' }, h('p', {}, fill(g.alternative.text)),
      g.alternative.code ? h('pre', { class: 'command' }, h('code', {}, fill(g.alternative.code))) : null) : null,
    h('h3', {}, '取り込んだあと、ログインする'),
    h('ol', { id: 'import-finish', class: 'steps' }, FINISH_STEPS.map(stepItem)),
    g.loginNote ? h('p', { class: 'hint' }, g.loginNote) : null,
    h('p', {}, h('a', { href: '/login', id: 'import-login-link' }, 'ログインページを開く'))]);
}

function detectNote(): HTMLElement | null {
  if (detected.key) return null;
  return h('p', { id: 'import-detect-note', class: 'alert info' }, detected.mobile
    ? 'スマートフォンやタブレットへの取り込みは、このページではご案内していません。ログインに使うパソコンでこのページを開いてください。下の一覧から、パソコンのブラウザと OS の手順も見られます。'
    : 'お使いのブラウザと OS を判別できませんでした。下の一覧から選んでください。');
}

// ---- The page ---------------------------------------------------------------------------------

function page(): HTMLElement {
  const csrForm = h('form', { id: 'csr-form', novalidate: true, onsubmit: onCsrSubmit },
    h('div', { class: 'field' },
      h('label', { for: 'csr-text' }, '証明書署名要求（CSR）'),
      csrHint,
      csrText,
      csrError),
    h('div', { class: 'field' },
      h('label', { for: 'csr-file' }, 'ファイルから読み込む'),
      h('p', { class: 'hint', id: 'csr-file-hint' }, '.csr のファイルを選ぶと、上の欄に中身が入ります。秘密鍵（.key）は選ばないでください。'),
      csrFile),
    h('p', { class: 'hint' }, '発行すると、いま有効な証明書は失効します。'),
    csrConfirm,
    csrMessages,
    h('div', { class: 'actions' }, csrSubmit));
  csrFile.addEventListener('change', () => { void onCsrFile(); });

  return h('div', { class: 'frame' },
    h('a', { href: '#main', class: 'skip-link' }, '本文へ移動'),
    h('header', { class: 'topbar' },
      h('a', { href: '/login', class: 'brand' }, 'CX Support'),
      h('div', { class: 'topbar-end' }, h('a', { href: '/login' }, 'ログインページへ'))),
    h('main', { class: 'public-main certsrv', id: 'main' },
      h('h1', { id: 'page-title', tabindex: '-1' }, '電子証明書ダウンロード'),
      h('p', { class: 'lead' }, 'CX Support に電子証明書でログインするための証明書を、このページで発行します。',
        '発行した証明書は、ログインに使うパソコンのブラウザに取り込んでください。'),

      h('section', { class: 'card', id: 'cert-status', 'aria-labelledby': 'cert-status-title' },
        h('h2', { id: 'cert-status-title' }, 'お客様の証明書'),
        h('dl', { class: 'summary' }, h('dt', {}, 'CX Support ID'), idValue),
        h('h3', {}, '現在の証明書'),
        certList),

      h('section', { class: 'card', id: 'issue-card', 'aria-labelledby': 'issue-title' },
        h('h2', { id: 'issue-title' }, '証明書を発行する'),
        h('p', {}, 'ボタンを押すと、お客様専用の鍵と証明書を作り、1つのファイル（PKCS#12 形式、拡張子 .p12）にまとめてお渡しします。',
          'ファイルはパスワードで保護されています。パスワードは発行したときに一度だけこの画面に表示されます。'),
        h('p', {}, '新しい証明書を発行すると、それまでの証明書は失効し、ログインに使えなくなります。'),
        issueWarning,
        issueConfirm,
        issueMessages,
        h('div', { class: 'actions' }, issueButton),
        issueResult),

      h('section', { class: 'card', id: 'csr-card', 'aria-labelledby': 'csr-title' },
        h('h2', { id: 'csr-title' }, 'ご自身で鍵を作成する（CSR）'),
        h('p', {}, '上級者向けの方法です。鍵（秘密鍵）をお手元のパソコンで作り、証明書署名要求（CSR）だけを送ります。秘密鍵はお手元から出ません。'),
        h('h3', {}, '1. 鍵と CSR を作る'),
        h('p', {}, 'OpenSSL が使える環境で、次のコマンドを実行します。秘密鍵のファイル（.key）と CSR のファイル（.csr）ができます。'),
        csrCommandSlot,
        h('h3', {}, '2. CSR を送る'),
        csrForm,
        csrResult),

      h('section', { class: 'card', id: 'import-card', 'aria-labelledby': 'import-title' },
        h('h2', { id: 'import-title' }, '証明書の取り込み方法'),
        h('p', {}, 'ダウンロードした証明書のファイルを、ログインに使うブラウザに取り込みます。お使いのブラウザと OS に合わせた手順を表示しています。'),
        detectNote(),
        h('div', { class: 'field' },
          h('label', { for: 'import-platform' }, 'ブラウザと OS'),
          platformSelect),
        guide),

      h('p', { class: 'back-link' }, h('a', { href: '/login', id: 'login-link' }, 'CX Support のログインページへ戻る'))),
    h('footer', { class: 'footer' }, 'CX Support'));
}

const root = document.getElementById('certsrv');
if (root) {
  clear(root);
  root.append(page());
  renderStatus();
  renderCsrCommand();
  renderGuide();
  void loadStatus();
}
