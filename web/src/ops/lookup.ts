// The account list of the /ops page: GET /admin/accounts?q=&after=&limit= lists the accounts in
// OPID order, PAGE_SIZE at a time ("Show more" asks for the page after the answer's `next`), from
// the moment the console opens. The search box filters it with the server's rule (the text in
// the ID or OPID, any letter case, or — digits, hyphens and spaces only — in one of its ANs); an
// empty search lists every account again. An ID in the list opens the account's card below it
// (one at a time; a search with exactly one match opens it at once): plan, ANs, sessions, child
// IDs and last ingest, with the plan change of POST /admin/accounts/{id}/plan, the support
// actions of SPEC §19 (unlock, end the session, the login method) and the account's client
// certificates (SPEC §16: list, revoke, new download credentials). The server decides every rule:
// the forms send what they hold and show the 422 errors at their fields.

import { h, clear, uid, type Attrs } from '../dom';
import { formatAn } from '../format';
import { ops, OpsError, describe, type FieldError } from './api';
import { count, jstDateTime } from './format';

export interface Account {
  id: string; opid: string; plan: 'free' | 'standard'; auth_method: string;
  email: string; person: string; department: string; registered: string;
  contractor_name?: string; phone?: string; industry?: string;
  ans: (string | { an: string })[];
  billing_an?: string; billing_phone?: string;
  sessions?: number; children?: number | string[]; last_ingest?: string | null;
}

// One page of the list: `total` accounts match in all, `next` is the `after` of the next page.
interface AccountPage { accounts: Account[]; total: number; next: string | null }

// The `limit` the list asks for (the server takes 1–200).
export const PAGE_SIZE = 50;
// ANs written in a row of the list; the card lists them all.
const ROW_ANS = 4;

const anOf = (a: string | { an: string }) => (typeof a === 'string' ? a : a.an);
const planName = (plan: Account['plan']) => (plan === 'standard' ? 'Standard' : 'Free');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

// The login methods an operator may choose (PUT /admin/accounts/{id}/auth_method). A switch to
// `certificate` mails new download credentials; a switch to `otp` revokes every certificate.
const METHODS: [string, string][] = [['otp', 'One-time password (mail)'], ['certificate', 'Client certificate']];
const methodName = (method: string) => METHODS.find(([value]) => value === method)?.[1] ?? method;

// One client certificate as GET /admin/accounts/{id}/certificates lists it (newest first).
interface Certificate { serial: string; not_before?: string; not_after: string; revoked: string | null }
const certificateState = (c: Certificate, now: number) => (c.revoked ? 'revoked' : Date.parse(c.not_after) > now ? 'valid' : 'expired');

// What a move to free deletes (docs/api.md, POST /admin/accounts/{id}/plan).
const DELETED = [
  'all detailed call records',
  'the per-DN figures',
  'the AN and DN groups',
  'the custom data sets',
  'the child IDs (their sessions end)',
  'basic data older than 12 months',
];

export class Lookup {
  readonly element: HTMLElement;
  private input: HTMLInputElement;
  private message: HTMLElement;
  private results: HTMLElement;
  private summary: HTMLElement;
  private showAll: HTMLButtonElement;
  private tableWrap: HTMLElement;
  private body: HTMLTableSectionElement;
  private more: HTMLButtonElement;
  private detail: HTMLElement;
  // The list shown: its search text, the rows loaded so far, how many match in all, the next page.
  private query = '';
  private rows = new Map<string, { account: Account; row: HTMLTableRowElement }>();
  private total = 0;
  private next: string | null = null;
  private openId: string | null = null;
  // Each request of the list takes a number; an answer that is not the latest one is dropped.
  private generation = 0;
  private disposed = false;

  constructor() {
    this.input = h('input', { type: 'search', id: 'lookup-q', name: 'q', autocomplete: 'off', spellcheck: 'false',
      autocapitalize: 'off', 'aria-describedby': 'lookup-hint' });
    const button = h('button', { type: 'submit', id: 'lookup-submit' }, 'Search');
    this.message = h('div', { class: 'messages', id: 'lookup-message', role: 'status' });
    this.summary = h('div', { class: 'list-summary', id: 'lookup-summary', role: 'status' });
    this.showAll = h('button', { type: 'button', id: 'lookup-all', class: 'link-button small hidden' }, 'Show all accounts');
    this.showAll.addEventListener('click', () => { this.input.value = ''; void this.search(''); });
    this.body = h('tbody');
    const heads: [string, boolean][] = [['ID', true], ['OPID', true], ['Plan', true], ['ANs', true], ['Sessions', false], ['Last ingest', true]];
    this.tableWrap = h('div', { class: 'table-wrap accounts-wrap hidden' },
      h('table', { id: 'accounts-table', class: 'data-table ops-table accounts-table' },
        h('caption', { class: 'sr-only' }, 'Accounts, in OPID order'),
        h('thead', {}, h('tr', {}, heads.map(([label, text]) => h('th', { scope: 'col', class: text ? 'head-text' : null }, label)))),
        this.body));
    this.more = h('button', { type: 'button', id: 'accounts-more', class: 'secondary hidden', 'aria-controls': 'accounts-table' }, 'Show more');
    this.more.addEventListener('click', () => void this.showMore());
    this.detail = h('div', { id: 'account-detail' });
    this.results = h('div', { id: 'lookup-results' },
      h('div', { class: 'list-head' }, this.summary, this.showAll),
      this.tableWrap,
      h('div', { class: 'list-more' }, this.more),
      this.detail);
    const form = h('form', { id: 'lookup-form', role: 'search', novalidate: true, class: 'lookup-form', 'aria-label': 'Search the accounts' },
      h('div', { class: 'field' },
        h('label', { for: 'lookup-q' }, 'ID, OPID or AN'),
        h('div', { class: 'lookup-row' }, this.input, button),
        h('p', { class: 'hint', id: 'lookup-hint' },
          'Part of a CX Support ID or OPID (any letter case), or digits of an AN (hyphens allowed: 0120-111). Leave it empty to list every account.')));
    form.addEventListener('submit', (e) => { e.preventDefault(); void this.search(this.input.value); });
    this.element = h('section', { class: 'card', id: 'lookup-card', 'aria-labelledby': 'lookup-title' },
      h('h2', { id: 'lookup-title' }, 'Accounts'), form, this.message, this.results);
  }

  dispose(): void { this.disposed = true; }

  // Fills the box with `q` and searches it (a busiest account's link does this: one match, its card).
  async fill(q: string): Promise<void> {
    this.input.value = q;
    this.element.scrollIntoView({ block: 'start' });
    this.input.focus();
    await this.search(q);
  }

  // The first page of the accounts matching `raw` (every account when it is blank) replaces the
  // list; the card shown closes, and opens for the only match when a search text has just one.
  async search(raw: string): Promise<void> {
    const q = raw.trim();
    const generation = ++this.generation;
    clear(this.message);
    this.busy(true);
    try {
      const page = await this.fetchPage(q, null);
      if (this.disposed || generation !== this.generation) return;
      this.query = q;
      this.rows.clear();
      clear(this.body);
      this.closeCard(false);
      this.append(page);
      if (q && page.total === 1 && page.accounts.length === 1) this.openCard(page.accounts[0].id, false);
    } catch (error) {
      if (this.disposed || generation !== this.generation) return;
      this.failed(error);
    } finally {
      if (!this.disposed && generation === this.generation) this.busy(false);
    }
  }

  // The page after the last one shown, with the same search text, added below the rows.
  // Not while a search or another page is on its way (the button stays enabled, so it keeps the focus).
  private async showMore(): Promise<void> {
    const after = this.next;
    if (after === null || this.results.classList.contains('loading')) return;
    const generation = ++this.generation;
    const q = this.query;
    clear(this.message);
    this.busy(true);
    try {
      const page = await this.fetchPage(q, after);
      if (this.disposed || generation !== this.generation) return;
      const first = this.append(page);
      // The button goes with the last page: the focus moves to the first row it brought.
      if (this.next === null) first?.querySelector<HTMLElement>('.account-link')?.focus();
    } catch (error) {
      if (this.disposed || generation !== this.generation) return;
      this.failed(error);
    } finally {
      if (!this.disposed && generation === this.generation) this.busy(false);
    }
  }

  private async fetchPage(q: string, after: string | null): Promise<AccountPage> {
    const params = [q ? `q=${encodeURIComponent(q)}` : '', after !== null ? `after=${encodeURIComponent(after)}` : '',
      `limit=${PAGE_SIZE}`].filter(Boolean).join('&');
    const answer = await ops<Partial<AccountPage> | null>('GET', `/admin/accounts?${params}`);
    const accounts = Array.isArray(answer?.accounts) ? answer.accounts : [];
    return {
      accounts,
      total: typeof answer?.total === 'number' ? answer.total : accounts.length,
      next: typeof answer?.next === 'string' && answer.next !== '' ? answer.next : null,
    };
  }

  // Adds a page's rows (an account already listed is not listed twice) and writes the count
  // again; returns the first row added.
  private append(page: AccountPage): HTMLTableRowElement | null {
    let first: HTMLTableRowElement | null = null;
    for (const account of page.accounts) {
      if (this.rows.has(account.id)) continue;
      const row = this.row(account);
      this.rows.set(account.id, { account, row });
      this.body.append(row);
      first ??= row;
    }
    this.total = Math.max(page.total, this.rows.size);
    this.next = page.next;
    this.more.classList.toggle('hidden', this.next === null);
    this.tableWrap.classList.toggle('hidden', this.rows.size === 0);
    this.showAll.classList.toggle('hidden', this.query === '');
    this.writeCount();
    return first;
  }

  private writeCount(): void {
    const q = this.query;
    if (this.rows.size === 0) {
      this.summary.replaceChildren(h('p', { class: 'empty', id: 'lookup-none', 'data-q': q },
        q ? `No account has an ID, OPID or AN containing “${q}”.` : 'There are no accounts yet.'));
      return;
    }
    const shown = this.rows.size;
    const text = (q ? `${plural(this.total, 'account matches', 'accounts match')} “${q}”` : plural(this.total, 'account', 'accounts'))
      + (shown < this.total ? ` · ${count(shown)} shown` : '');
    this.summary.replaceChildren(h('p', { class: 'list-count', id: 'lookup-count', 'data-q': q, 'data-total': this.total, 'data-shown': shown }, text));
  }

  private row(a: Account): HTMLTableRowElement {
    const ans = (a.ans ?? []).map(anOf);
    const cell = (key: string, raw: string | number | null, content: Node | string | (Node | string)[], kind = 'cell-text') =>
      h('td', { class: kind, 'data-key': key, 'data-value': raw === null ? '' : String(raw) }, content);
    const link = h('button', { type: 'button', class: 'link-button account-link', 'data-id': a.id, 'aria-controls': 'account-detail',
      'aria-label': `Open account ${a.id}` }, a.id);
    link.addEventListener('click', () => this.openCard(a.id, true));
    const anList = ans.slice(0, ROW_ANS).flatMap((an, i) => [i ? ', ' : '', h('span', { class: 'an' }, formatAn(an))]);
    if (ans.length > ROW_ANS) anList.push(h('span', { class: 'muted' }, ` +${count(ans.length - ROW_ANS)} more`));
    return h('tr', { 'data-id': a.id, 'data-opid': a.opid, 'data-plan': a.plan, 'aria-current': a.id === this.openId ? 'true' : null },
      h('th', { scope: 'row', class: 'cell-text', 'data-key': 'id', 'data-value': a.id }, link),
      cell('opid', a.opid, a.opid),
      cell('plan', a.plan, h('span', { class: `plan-tag plan-${a.plan}` }, planName(a.plan))),
      cell('ans', ans.join(','), ans.length ? anList : h('span', { class: 'muted' }, 'none'), 'cell-text cell-wrap'),
      cell('sessions', a.sessions ?? null, a.sessions === undefined ? '—' : count(a.sessions), 'cell-num'),
      cell('last_ingest', a.last_ingest ?? '', a.last_ingest
        ? h('time', { datetime: a.last_ingest }, jstDateTime(a.last_ingest)) : h('span', { class: 'muted' }, 'never')));
  }

  // The card of a listed account below the list, in place of the one shown; `focus` moves the
  // focus to its title (an ID clicked), a search leaves it in the box.
  private openCard(id: string, focus: boolean): void {
    const entry = this.rows.get(id);
    if (!entry) return;
    const title = () => this.detail.querySelector<HTMLElement>('.account-card h3');
    if (this.openId === id && title()) {
      if (focus) title()?.focus();
      return;
    }
    this.closeCard(false);
    this.openId = id;
    entry.row.setAttribute('aria-current', 'true');
    const close = h('button', { type: 'button', class: 'link-button small', id: 'account-close' }, 'Close the account');
    close.addEventListener('click', () => this.closeCard(true));
    this.detail.append(h('div', { class: 'detail-head' }, close), this.card(entry.account));
    title()?.setAttribute('tabindex', '-1');
    if (focus) title()?.focus();
  }

  // `focus`: back to the account's ID in the list (the close button goes with the card).
  private closeCard(focus: boolean): void {
    const id = this.openId;
    this.openId = null;
    clear(this.detail);
    if (id === null) return;
    const row = this.rows.get(id)?.row;
    row?.removeAttribute('aria-current');
    if (focus) row?.querySelector<HTMLElement>('.account-link')?.focus();
  }

  // After a plan change: the account read again (a search by its ID) in its row and its card,
  // with `notice` above; the rest of the list stays as it is.
  private async refresh(id: string, notice: HTMLElement): Promise<void> {
    try {
      const page = await this.fetchPage(id, null);
      if (this.disposed) return;
      const account = page.accounts.find((a) => a.id === id);
      this.message.replaceChildren(notice);
      if (!account) return;
      const entry = this.rows.get(id);
      if (entry) {
        const row = this.row(account);
        entry.row.replaceWith(row);
        this.rows.set(id, { account, row });
      }
      if (this.openId === id) {
        this.openId = null;
        this.openCard(id, false);
      }
    } catch (error) {
      if (this.disposed) return;
      this.message.replaceChildren(notice);
      this.failed(error);
    }
  }

  // After a support action: the account as the server now has it, in its row and, while its card
  // is open, in the card's figures. Unlike refresh() the card is not rebuilt, so its forms, the
  // support status and the focus stay where they are.
  private update(account: Account): void {
    const entry = this.rows.get(account.id);
    if (entry) {
      const row = this.row(account);
      entry.row.replaceWith(row);
      this.rows.set(account.id, { account, row });
    }
    if (this.openId !== account.id) return;
    const card = this.detail.querySelector<HTMLElement>('.account-card');
    if (card?.dataset.id !== account.id) return;
    card.dataset.plan = account.plan;
    card.querySelector('.account-summary')?.replaceWith(this.summaryList(account));
  }

  // The account read again (a search by its ID, as refresh() does); null when it is not found.
  private async reread(id: string): Promise<Account | null> {
    const page = await this.fetchPage(id, null);
    return page.accounts.find((a) => a.id === id) ?? null;
  }

  private busy(on: boolean): void {
    this.results.classList.toggle('loading', on);
    if (on) this.results.setAttribute('aria-busy', 'true'); else this.results.removeAttribute('aria-busy');
  }

  // A failure that is not a 401 (that one shows the token form): above the list, which stays.
  private failed(error: unknown): void {
    if (error instanceof OpsError && error.status === 401) return;
    this.message.append(h('div', { class: 'alert error', id: 'lookup-error', role: 'alert' },
      `The account list could not be loaded: ${describe(error)}`));
  }

  private card(a: Account): HTMLElement {
    const ans = (a.ans ?? []).map(anOf);
    const certificates = this.certificatesPart(a);
    const titleId = `account-${a.id}-title`;
    return h('article', { class: 'account-card', 'data-id': a.id, 'data-plan': a.plan, 'aria-labelledby': titleId },
      h('h3', { id: titleId }, h('span', { class: 'account-id' }, a.id), ' ', h('span', { class: 'muted' }, `OPID ${a.opid}`),
        ' ', h('span', { class: `plan-tag plan-${a.plan}` }, a.plan === 'standard' ? 'Standard' : 'Free')),
      this.summaryList(a),
      this.planForm(a, ans),
      this.supportPart(a, certificates.methodChanged),
      certificates.element);
  }

  // The card's figures and contact data (`dd[data-key][data-value]`).
  private summaryList(a: Account): HTMLElement {
    const ans = (a.ans ?? []).map(anOf);
    const children = a.children;
    const row = (key: string, label: string, value: Node | string, raw?: string | number | null) =>
      [h('dt', {}, label), h('dd', { 'data-key': key, 'data-value': raw === undefined || raw === null ? null : String(raw) }, value)];
    return h('dl', { class: 'summary account-summary' },
      row('plan', 'Plan', a.plan === 'standard' ? 'Standard' : 'Free', a.plan),
      a.plan === 'standard' && a.billing_an
        ? row('billing', 'Billing', `${formatAn(a.billing_an)} / ${a.billing_phone ?? ''}`, a.billing_an) : null,
      row('ans', 'ANs', ans.length ? ans.map(formatAn).join(', ') : 'none in the registry', ans.join(',')),
      row('sessions', 'Sessions', a.sessions === undefined ? '—' : count(a.sessions), a.sessions ?? null),
      row('children', 'Child IDs', Array.isArray(children) ? (children.length ? children.join(', ') : 'none')
        : children === undefined ? '—' : count(children), Array.isArray(children) ? children.length : children ?? null),
      row('last_ingest', 'Last ingest', a.last_ingest ? h('time', { datetime: a.last_ingest }, jstDateTime(a.last_ingest)) : 'never',
        a.last_ingest ?? ''),
      row('registered', 'Registered', a.registered ?? '—'),
      row('auth_method', 'Auth method', a.auth_method === 'certificate' ? 'client certificate' : 'one-time password by mail', a.auth_method),
      row('email', 'Email', a.email ?? ''),
      a.contractor_name !== undefined ? row('contractor_name', 'Contractor', a.contractor_name || '—') : null,
      row('person', 'Person', a.person || '—'),
      row('department', 'Department', a.department || '—'),
      a.phone !== undefined ? row('phone', 'Phone', a.phone || '—') : null,
      a.industry !== undefined ? row('industry', 'Industry', a.industry || '—') : null);
  }

  private planForm(a: Account, ans: string[]): HTMLElement {
    const id = a.id;
    const form = h('form', { class: 'plan-form', id: `plan-form-${id}`, novalidate: true, 'aria-labelledby': `plan-title-${id}` });
    const summary = h('div', { class: 'messages', id: `plan-errors-${id}` });
    const errors = new Map<string, { control: HTMLElement; error: HTMLElement }>();
    const withError = (field: string, control: HTMLElement) => {
      const error = h('p', { class: 'field-error', id: `${control.id}-error` });
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), error.id].filter(Boolean).join(' '));
      errors.set(field, { control, error });
      return error;
    };

    const target = a.plan === 'standard' ? 'free' : 'standard';
    const radio = (value: 'free' | 'standard', label: string) => {
      const input = h('input', { type: 'radio', name: 'plan', value, id: `plan-${value}-${id}`, checked: value === target });
      return h('label', { for: input.id }, input, h('span', {}, a.plan === value ? `${label} (current)` : label));
    };
    const planChoices = h('div', { class: 'choices', id: `plan-choice-${id}`, role: 'radiogroup', 'aria-labelledby': `plan-legend-${id}` },
      radio('standard', 'Standard'), radio('free', 'Free'));
    const planError = withError('plan', planChoices);

    const anSelect = h('select', { id: `plan-billing-an-${id}`, name: 'billing_an' },
      ans.map((an) => h('option', { value: an, selected: an === a.billing_an }, formatAn(an))));
    const phone = h('input', { type: 'tel', id: `plan-billing-phone-${id}`, name: 'billing_phone', autocomplete: 'off',
      value: a.billing_phone ?? '', 'aria-describedby': `plan-billing-phone-${id}-hint` });
    const standardFields = h('div', { class: 'plan-fields', id: `plan-standard-fields-${id}` },
      h('div', { class: 'field' }, h('label', { for: anSelect.id }, 'Billing AN'), anSelect, withError('billing_an', anSelect)),
      h('div', { class: 'field' }, h('label', { for: phone.id }, 'Billing phone'), phone,
        h('p', { class: 'hint', id: `plan-billing-phone-${id}-hint` }, 'A Japanese number in national format, hyphens allowed (03-1234-5678).'),
        withError('billing_phone', phone)));

    const confirm = h('input', { type: 'checkbox', id: `plan-confirm-${id}`, name: 'confirm' });
    const freeFields = h('div', { class: 'plan-fields', id: `plan-free-fields-${id}` },
      h('p', { class: 'small' }, 'A move to free deletes, in the same write and for good:'),
      h('ul', { class: 'removed-list small' }, DELETED.map((d) => h('li', {}, d))),
      h('div', { class: 'field' },
        h('label', { for: confirm.id, class: 'checkbox-label' }, confirm, h('span', {}, 'I understand what is deleted')),
        withError('confirm', confirm)));

    const chosen = () => (form.querySelector<HTMLInputElement>('input[name=plan]:checked')?.value ?? target) as 'free' | 'standard';
    const sync = () => {
      standardFields.classList.toggle('hidden', chosen() !== 'standard');
      freeFields.classList.toggle('hidden', chosen() !== 'free');
    };
    planChoices.addEventListener('change', sync);

    const button = h('button', { type: 'submit', id: `plan-submit-${id}` }, 'Change the plan');
    form.append(
      h('h4', { id: `plan-title-${id}`, class: 'plan-title' }, 'Change the plan'),
      summary,
      h('fieldset', { class: 'field' }, h('legend', { id: `plan-legend-${id}` }, 'New plan'), planChoices, planError),
      standardFields, freeFields,
      h('div', { class: 'actions' }, button));
    sync();

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        clear(summary);
        for (const { control, error } of errors.values()) { error.textContent = ''; control.removeAttribute('aria-invalid'); }
        const plan = chosen();
        const body = plan === 'standard'
          ? { plan, billing_an: anSelect.value, billing_phone: phone.value.trim() }
          : { plan, ...(confirm.checked ? { confirm: true } : {}) };
        button.disabled = true;
        try {
          await ops<Account>('POST', `/admin/accounts/${encodeURIComponent(id)}/plan`, body);
          if (this.disposed) return;
          await this.refresh(id, h('div', { class: 'alert ok', id: 'plan-changed', 'data-id': id, 'data-plan': plan },
            `The plan of ${id} is now ${plan === 'standard' ? 'standard' : 'free'}.`));
        } catch (error) {
          if (this.disposed || (error instanceof OpsError && error.status === 401)) return;
          if (error instanceof OpsError && error.status === 422 && error.errors.length) {
            this.showErrors(error.errors, errors, summary);
          } else {
            summary.append(h('div', { class: 'alert error', role: 'alert' }, `The plan was not changed: ${describe(error)}`));
          }
        } finally {
          button.disabled = false;
        }
      })();
    });
    return form;
  }

  // Support (SPEC §19): "Unlock" (POST …/unlock), "End session" (POST …/sessions/end, after a
  // confirmation in place) and the login method (PUT …/auth_method; `methodChanged` tells the
  // certificates block of a new method). Each answer is written to one
  // status line, #support-status; what an action changes is read into the row and the card's
  // figures in place (update()), so the status and the focus stay. One action at a time: while one
  // is on its way the controls are aria-disabled (not `disabled`, which would drop the focus).
  private supportPart(a: Account, methodChanged: (method: string) => void): HTMLElement {
    const id = a.id;
    const path = (rest: string) => `/admin/accounts/${encodeURIComponent(id)}/${rest}`;
    const status = h('div', { class: 'support-status', id: 'support-status', role: 'status' });
    const say = (kind: 'ok' | 'error' | 'warn', action: string, result: string, text: string) =>
      status.append(h('div', { class: `alert ${kind}`, role: kind === 'ok' ? null : 'alert', 'data-action': action,
        'data-result': result, 'data-id': id }, text));
    // A failure that is not a 401 (that one shows the token form) in the status line.
    const failed = (action: string, what: string, error: unknown) => {
      if (this.disposed || (error instanceof OpsError && error.status === 401)) return;
      say('error', action, 'failed', `${what}: ${describe(error)}`);
    };

    const controls: HTMLElement[] = [];
    let working = false;
    const run = (work: () => Promise<void>) => {
      if (working) return;
      working = true;
      clear(status);
      for (const c of controls) c.setAttribute('aria-disabled', 'true');
      void work().finally(() => {
        working = false;
        for (const c of controls) c.removeAttribute('aria-disabled');
      });
    };
    const button = (attrs: Attrs, label: string) => {
      const b = h('button', { type: 'button', ...attrs }, label);
      controls.push(b);
      return b;
    };

    // Unlock.
    const unlock = button({ id: 'support-unlock', class: 'secondary', 'aria-describedby': 'support-unlock-hint' }, 'Unlock');
    unlock.addEventListener('click', () => run(async () => {
      try {
        const answer = await ops<{ was_locked?: boolean } | null>('POST', path('unlock'), {});
        if (this.disposed) return;
        const was = answer?.was_locked === true;
        say('ok', 'unlock', was ? 'was_locked' : 'not_locked', was ? 'Unlocked — it was locked.' : 'It was not locked.');
      } catch (error) {
        failed('unlock', 'The ID was not unlocked', error);
      }
    }));

    // End session: the first button asks, the second one ends it.
    const endSession = button({ id: 'support-end-session', class: 'secondary', 'aria-expanded': 'false',
      'aria-controls': 'support-end-session-box', 'aria-describedby': 'support-end-session-hint' }, 'End session');
    const confirmEnd = button({ id: 'support-end-session-confirm', class: 'danger' }, 'End the session');
    const keep = h('button', { type: 'button', id: 'support-end-session-cancel', class: 'secondary' }, 'Keep it');
    const question = h('div', { id: 'support-end-session-box', class: 'support-confirm hidden', role: 'group',
      'aria-labelledby': 'support-end-session-question' },
      h('p', { id: 'support-end-session-question' },
        `End the session of ${id}? The customer is logged out at once, and a one-time password waiting to be entered stops working.`),
      h('div', { class: 'actions' }, confirmEnd, keep));
    const ask = (open: boolean) => {
      question.classList.toggle('hidden', !open);
      endSession.setAttribute('aria-expanded', String(open));
      (open ? confirmEnd : endSession).focus();
    };
    endSession.addEventListener('click', () => { if (!working) ask(true); });
    keep.addEventListener('click', () => ask(false));
    question.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Escape' && !working) ask(false); });
    confirmEnd.addEventListener('click', () => run(async () => {
      ask(false);
      try {
        const answer = await ops<{ ended?: boolean } | null>('POST', path('sessions/end'), {});
        if (this.disposed) return;
        const ended = answer?.ended === true;
        say('ok', 'end-session', ended ? 'ended' : 'none', ended ? 'The session ended.' : 'No session was live.');
      } catch (error) {
        failed('end-session', 'The session was not ended', error);
        return;
      }
      // The sessions figure, read again as the plan change does.
      try {
        const account = await this.reread(id);
        if (!this.disposed && account) this.update(account);
      } catch (error) {
        if (this.disposed || (error instanceof OpsError && error.status === 401)) return;
        say('warn', 'end-session', 'not_reread', `The figures above could not be read again: ${describe(error)}`);
      }
    }));

    // The login method.
    let current = a.auth_method;
    const options = METHODS.map(([value]) => h('option', { value, selected: value === current }));
    const markCurrent = () => options.forEach((o) => {
      o.textContent = methodName(o.value) + (o.value === current ? ' — current' : '');
    });
    markCurrent();
    const select = h('select', { id: 'support-auth-method', name: 'auth_method', 'aria-describedby': 'support-auth-method-hint' }, options);
    controls.push(select);
    const set = button({ type: 'submit', id: 'support-auth-submit' }, 'Set');
    const authErrors = h('div', { class: 'messages', id: 'support-auth-errors' });
    const fieldError = h('p', { class: 'field-error', id: 'support-auth-method-error' });
    select.setAttribute('aria-describedby', `support-auth-method-hint ${fieldError.id}`);
    const fields = new Map([['auth_method', { control: select as HTMLElement, error: fieldError }]]);
    const authForm = h('form', { id: 'support-auth-form', class: 'support-auth', novalidate: true },
      authErrors,
      h('div', { class: 'field' },
        h('label', { for: select.id }, 'Login method'),
        h('div', { class: 'support-row' }, select, set),
        h('p', { class: 'hint', id: 'support-auth-method-hint' },
          'The customer gets a notice mail when the method changes. To client certificate: a new download account and password for /certsrv/ are mailed too, and the next login needs the certificate. To one-time password: every certificate of the ID is revoked.'),
        fieldError));
    authForm.addEventListener('submit', (e) => {
      e.preventDefault();
      run(async () => {
        clear(authErrors);
        fieldError.textContent = '';
        select.removeAttribute('aria-invalid');
        const before = current;
        try {
          const answer = await ops<Account | null>('PUT', path('auth_method'), { auth_method: select.value });
          if (this.disposed) return;
          current = answer?.auth_method ?? select.value;
          markCurrent();
          this.update({ ...(this.rows.get(id)?.account ?? a), ...(answer ?? {}), auth_method: current });
          say('ok', 'auth-method', current === before ? 'unchanged' : 'changed', current === before
            ? `The login method stays ${methodName(current).toLowerCase()}; nothing changed.`
            : current === 'certificate'
              ? `The login method is now ${methodName(current).toLowerCase()}; the customer gets a notice mail and new download credentials.`
              : `The login method is now ${methodName(current).toLowerCase()}; every certificate of the ID is revoked and the customer gets a notice mail.`);
          if (current !== before) methodChanged(current);
        } catch (error) {
          if (this.disposed || (error instanceof OpsError && error.status === 401)) return;
          if (error instanceof OpsError && error.status === 422 && error.errors.length) this.showErrors(error.errors, fields, authErrors);
          else failed('auth-method', 'The login method was not set', error);
        }
      });
    });

    return h('section', { class: 'support-part', id: 'support-part', 'data-id': id, 'aria-labelledby': 'support-title' },
      h('h4', { id: 'support-title', class: 'plan-title' }, 'Support'),
      status,
      h('div', { class: 'support-actions' },
        h('div', { class: 'support-action' }, unlock,
          h('p', { class: 'hint', id: 'support-unlock-hint' },
            'Lifts a login lockout (five wrong passwords or codes) and forgets the ID’s wrong answers.')),
        h('div', { class: 'support-action' }, endSession,
          h('p', { class: 'hint', id: 'support-end-session-hint' },
            'Logs the customer out: ends the ID’s session and any one-time password on its way.'))),
      question,
      authForm);
  }

  // Client certificates (SPEC §16, docs/api.md "Client certificates"), in the card below the
  // support part: the account's list (GET …/certificates, newest first; `tr.cert-row[data-serial]
  // [data-state]`) with "Revoke" (`button.cert-revoke[data-serial]`) on each unrevoked one, which
  // asks in place first (POST …/certificates/{serial}/revoke), and, for an account on the
  // certificate method, "Send new download credentials" (POST …/download-credentials). Answers go
  // to #ops-certificates-status as [data-action][data-result]; the list is read again after each
  // change and after a change of the login method (`methodChanged`). One action at a time, as in
  // the support part.
  private certificatesPart(a: Account): { element: HTMLElement; methodChanged: (method: string) => void } {
    const id = a.id;
    let method = a.auth_method;
    const path = (rest: string) => `/admin/accounts/${encodeURIComponent(id)}/${rest}`;
    const status = h('div', { class: 'support-status', id: 'ops-certificates-status', role: 'status' });
    const say = (kind: 'ok' | 'error', action: string, result: string, text: string, extra: Attrs = {}) =>
      status.append(h('div', { class: `alert ${kind}`, role: kind === 'ok' ? null : 'alert', 'data-action': action,
        'data-result': result, 'data-id': id, ...extra }, text));
    const failed = (action: string, what: string, error: unknown) => {
      if (this.disposed || (error instanceof OpsError && error.status === 401)) return;
      say('error', action, 'failed', `${what}: ${describe(error)}`);
    };

    const title = h('h4', { id: 'ops-certificates-title', class: 'plan-title', tabindex: '-1' }, 'Client certificates');
    const list = h('div', { id: 'ops-certificates-list', 'aria-busy': 'false' });
    const reload = h('button', { type: 'button', class: 'link-button small', id: 'ops-certificates-reload',
      'aria-controls': 'ops-certificates-list' }, 'Read the list again');
    const send = h('button', { type: 'button', class: 'secondary', id: 'ops-send-credentials',
      'aria-describedby': 'ops-send-credentials-hint' }, 'Send new download credentials');
    const sendPart = h('div', { class: 'support-action', id: 'ops-send-credentials-part' }, send,
      h('p', { class: 'hint', id: 'ops-send-credentials-hint' },
        'Mails a new download account and password for the download page /certsrv/ to the account’s address; the ones mailed before stop working.'));
    const otpNote = h('p', { class: 'hint', id: 'ops-certificates-otp' },
      'This account logs in with one-time passwords: it has no download credentials. Setting the login method to client certificate above mails them.');
    const showMethod = () => {
      sendPart.classList.toggle('hidden', method !== 'certificate');
      otpNote.classList.toggle('hidden', method === 'certificate');
    };
    showMethod();

    // One action at a time: the block's buttons are aria-disabled meanwhile (not `disabled`, which
    // would drop the focus); "Keep it" stays usable.
    const element = h('section', { class: 'support-part ops-certificates', id: 'ops-certificates', 'data-id': id,
      'aria-labelledby': 'ops-certificates-title' });
    let working = false;
    const run = (work: () => Promise<void>) => {
      if (working) return;
      working = true;
      clear(status);
      const buttons = () => [...element.querySelectorAll<HTMLElement>('button')].filter((b) => b.id !== 'ops-cert-revoke-cancel');
      for (const b of buttons()) b.setAttribute('aria-disabled', 'true');
      void work().finally(() => {
        working = false;
        for (const b of buttons()) b.removeAttribute('aria-disabled');
      });
    };

    // The list, read again; an answer that is not the latest one is dropped.
    let seq = 0;
    const load = async (): Promise<void> => {
      const mine = ++seq;
      list.setAttribute('aria-busy', 'true');
      try {
        const answer = await ops<{ certificates?: Certificate[] } | null>('GET', path('certificates'));
        if (this.disposed || mine !== seq) return;
        render(Array.isArray(answer?.certificates) ? answer.certificates : []);
      } catch (error) {
        if (this.disposed || mine !== seq) return;
        clear(list);
        if (!(error instanceof OpsError && error.status === 401)) {
          list.append(h('div', { class: 'alert error', role: 'alert', id: 'ops-certificates-error' },
            `The certificates could not be read: ${describe(error)}`));
        }
      } finally {
        if (!this.disposed && mine === seq) list.setAttribute('aria-busy', 'false');
      }
    };

    // Revoke: the first click asks in place (the focus on the question), the second one revokes.
    const confirmRevoke = h('button', { type: 'button', id: 'ops-cert-revoke-confirm', class: 'danger' }, 'Revoke it');
    const keep = h('button', { type: 'button', id: 'ops-cert-revoke-cancel', class: 'secondary' }, 'Keep it');
    const question = h('p', { id: 'ops-cert-revoke-question' });
    const box = h('div', { id: 'ops-cert-revoke-box', class: 'support-confirm hidden', role: 'group',
      'aria-labelledby': 'ops-cert-revoke-question' }, question, h('div', { class: 'actions' }, confirmRevoke, keep));
    let asked: string | null = null;
    const revokeButton = (serial: string) => list.querySelector<HTMLElement>(`button.cert-revoke[data-serial="${CSS.escape(serial)}"]`);
    const ask = (serial: string | null) => {
      const before = asked;
      asked = serial;
      box.classList.toggle('hidden', serial === null);
      if (serial === null) {
        box.removeAttribute('data-serial');
        if (before !== null) (revokeButton(before) ?? title).focus();
        return;
      }
      box.setAttribute('data-serial', serial);
      question.textContent = `Revoke certificate ${serial} of ${id}? A login with it is refused from now on (certificate_revoked) and the CRL lists it. This cannot be undone; the customer can get a new certificate from /certsrv/.`;
      confirmRevoke.focus();
    };
    keep.addEventListener('click', () => ask(null));
    box.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Escape' && !working) ask(null); });
    confirmRevoke.addEventListener('click', () => {
      const serial = asked;
      if (serial === null) return;
      run(async () => {
        asked = null;
        box.classList.add('hidden');
        box.removeAttribute('data-serial');
        try {
          const answer = await ops<{ serial?: string } | null>('POST', path(`certificates/${encodeURIComponent(serial)}/revoke`), {});
          if (this.disposed) return;
          say('ok', 'revoke', 'revoked', `Certificate ${answer?.serial ?? serial} is revoked.`, { 'data-serial': serial });
        } catch (error) {
          failed('revoke', `Certificate ${serial} was not revoked`, error);
        }
        await load();
        if (!this.disposed) title.focus();
      });
    });

    const time = (iso: string) => h('time', { datetime: iso }, jstDateTime(iso));
    const render = (certificates: Certificate[]) => {
      if (asked !== null && !certificates.some((c) => c.serial === asked && !c.revoked)) ask(null);
      if (!certificates.length) {
        list.replaceChildren(h('p', { class: 'muted', id: 'ops-certificates-empty' }, method === 'certificate'
          ? 'No certificate has been issued: the customer gets one from /certsrv/ with the download credentials.'
          : 'No certificate has been issued.'));
        return;
      }
      const now = Date.now();
      const cell = (key: string, raw: string, content: Node | string) =>
        h('td', { class: 'cell-text', 'data-key': key, 'data-value': raw }, content);
      const rows = certificates.map((c) => {
        const state = certificateState(c, now);
        const revoke = c.revoked ? null : h('button', { type: 'button', class: 'secondary small-button cert-revoke',
          'data-serial': c.serial, 'aria-label': `Revoke certificate ${c.serial}`, 'aria-controls': 'ops-cert-revoke-box' }, 'Revoke');
        revoke?.addEventListener('click', () => { if (!working) ask(c.serial); });
        return h('tr', { class: 'cert-row', 'data-serial': c.serial, 'data-state': state },
          h('th', { scope: 'row', class: 'cell-text', 'data-key': 'serial', 'data-value': c.serial }, h('code', {}, c.serial)),
          cell('not_before', c.not_before ?? '', c.not_before ? time(c.not_before) : '—'),
          cell('not_after', c.not_after, time(c.not_after)),
          cell('state', state, state === 'revoked' && c.revoked ? h('span', {}, 'revoked ', time(c.revoked)) : state),
          h('td', { class: 'cell-text' }, revoke ?? ''));
      });
      list.replaceChildren(h('div', { class: 'table-wrap' },
        h('table', { id: 'ops-certificates-table', class: 'data-table ops-table' },
          h('caption', { class: 'sr-only' }, `Client certificates of ${id}, newest first`),
          h('thead', {}, h('tr', {}, ['Serial', 'Issued', 'Expires', 'State', ''].map((label) =>
            h('th', { scope: 'col', class: 'head-text' }, label || h('span', { class: 'sr-only' }, 'Action'))))),
          h('tbody', {}, rows))));
    };

    reload.addEventListener('click', () => { if (!working) void load(); });
    send.addEventListener('click', () => run(async () => {
      try {
        await ops<{ mailed?: boolean } | null>('POST', path('download-credentials'), {});
        if (this.disposed) return;
        const email = this.rows.get(id)?.account.email ?? a.email;
        say('ok', 'send-credentials', 'mailed',
          `New download credentials were mailed${email ? ` to ${email}` : ''}; the ones mailed before no longer work.`);
      } catch (error) {
        failed('send-credentials', 'No download credentials were sent', error);
      }
    }));

    element.append(title, status,
      h('div', { class: 'list-head' }, h('p', { class: 'hint' }, 'Issued on the download page /certsrv/; a new one revokes the earlier ones.'), reload),
      list, box,
      h('div', { class: 'support-actions' }, sendPart), otpNote);
    void load();
    return {
      element,
      methodChanged: (next: string) => {
        method = next;
        showMethod();
        void load();
      },
    };
  }

  // The server's 422 errors at their fields; one it names no field of this form for goes above them.
  private showErrors(list: FieldError[], fields: Map<string, { control: HTMLElement; error: HTMLElement }>, summary: HTMLElement): void {
    let first: HTMLElement | null = null;
    const unplaced: string[] = [];
    for (const e of list) {
      const at = fields.get(e.field);
      if (!at) { unplaced.push(e.message); continue; }
      at.error.textContent = at.error.textContent ? `${at.error.textContent} ${e.message}` : e.message;
      at.control.setAttribute('aria-invalid', 'true');
      first ??= at.control;
    }
    summary.append(h('div', { class: 'alert error', role: 'alert', id: uid('plan-refused') },
      h('p', {}, 'The server refused the change.' + (first ? ' See the fields below.' : '')),
      unplaced.map((m) => h('p', {}, m))));
    const focusable = first?.matches('input, select') ? first : first?.querySelector<HTMLElement>('input');
    focusable?.focus();
  }
}
