// The account look-up of the /ops page: GET /admin/accounts?q= finds the accounts whose ID, OPID
// or one of whose ANs (hyphens ignored) is the text; each match shows its plan, ANs, sessions,
// child IDs and last ingest, with the plan change of POST /admin/accounts/{id}/plan. The server
// decides every rule: the form sends what it holds and shows the 422 errors at their fields.

import { h, clear, uid } from '../dom';
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

const anOf = (a: string | { an: string }) => (typeof a === 'string' ? a : a.an);

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
  private fieldError: HTMLElement;
  private message: HTMLElement;
  private results: HTMLElement;
  private button: HTMLButtonElement;
  private lastQuery = '';
  private disposed = false;

  constructor() {
    this.input = h('input', { type: 'search', id: 'lookup-q', name: 'q', autocomplete: 'off', spellcheck: 'false',
      autocapitalize: 'off', 'aria-describedby': 'lookup-hint lookup-q-error' });
    this.fieldError = h('p', { class: 'field-error', id: 'lookup-q-error' });
    this.button = h('button', { type: 'submit' }, 'Look up');
    this.message = h('div', { class: 'messages', id: 'lookup-message', role: 'status' });
    this.results = h('div', { id: 'lookup-results', 'aria-live': 'polite' });
    const form = h('form', { id: 'lookup-form', role: 'search', novalidate: true, class: 'lookup-form' },
      h('div', { class: 'field' },
        h('label', { for: 'lookup-q' }, 'ID, OPID or AN'),
        h('div', { class: 'lookup-row' }, this.input, this.button),
        h('p', { class: 'hint', id: 'lookup-hint' }, 'A 10-character CX Support ID, a parent OPID, or one of its ANs (hyphens allowed: 0120-111-222).'),
        this.fieldError));
    form.addEventListener('submit', (e) => { e.preventDefault(); void this.lookUp(this.input.value); });
    this.element = h('section', { class: 'card', id: 'lookup-card', 'aria-labelledby': 'lookup-title' },
      h('h2', { id: 'lookup-title' }, 'Account look-up'), form, this.message, this.results);
  }

  dispose(): void { this.disposed = true; }

  // Fills the box with `q` and looks it up (a busiest account's link does this).
  async fill(q: string): Promise<void> {
    this.input.value = q;
    this.element.scrollIntoView({ block: 'start' });
    this.input.focus();
    await this.lookUp(q);
  }

  async lookUp(raw: string, notice?: HTMLElement): Promise<void> {
    const q = raw.trim();
    this.fieldError.textContent = '';
    this.input.removeAttribute('aria-invalid');
    clear(this.message);
    if (!q) {
      this.fieldError.textContent = 'Enter an ID, an OPID or an AN.';
      this.input.setAttribute('aria-invalid', 'true');
      this.input.focus();
      return;
    }
    this.lastQuery = q;
    this.button.disabled = true;
    this.results.classList.add('loading');
    try {
      const answer = await ops<{ accounts: Account[] }>('GET', `/admin/accounts?q=${encodeURIComponent(q)}`);
      if (this.disposed) return;
      clear(this.results);
      if (notice) this.message.append(notice);
      const accounts = answer?.accounts ?? [];
      if (accounts.length === 0) {
        this.results.append(h('p', { class: 'empty', id: 'lookup-none' }, `No account has the ID, OPID or AN “${q}”.`));
      } else {
        this.results.append(h('p', { class: 'muted small', id: 'lookup-count' },
          accounts.length === 1 ? `1 account for “${q}”.` : `${accounts.length} accounts for “${q}”.`));
        for (const account of accounts) this.results.append(this.card(account));
      }
    } catch (error) {
      if (this.disposed || (error instanceof OpsError && error.status === 401)) return;
      if (error instanceof OpsError && error.status === 400) {
        this.fieldError.textContent = error.message;
        this.input.setAttribute('aria-invalid', 'true');
      } else {
        this.message.append(h('div', { class: 'alert error', id: 'lookup-error', role: 'alert' }, `The look-up failed: ${describe(error)}`));
      }
    } finally {
      this.button.disabled = false;
      this.results.classList.remove('loading');
    }
  }

  private card(a: Account): HTMLElement {
    const ans = (a.ans ?? []).map(anOf);
    const children = a.children;
    const row = (key: string, label: string, value: Node | string, raw?: string | number | null) =>
      [h('dt', {}, label), h('dd', { 'data-key': key, 'data-value': raw === undefined || raw === null ? null : String(raw) }, value)];
    const titleId = `account-${a.id}-title`;
    return h('article', { class: 'account-card', 'data-id': a.id, 'data-plan': a.plan, 'aria-labelledby': titleId },
      h('h3', { id: titleId }, h('span', { class: 'account-id' }, a.id), ' ', h('span', { class: 'muted' }, `OPID ${a.opid}`),
        ' ', h('span', { class: `plan-tag plan-${a.plan}` }, a.plan === 'standard' ? 'Standard' : 'Free')),
      h('dl', { class: 'summary account-summary' },
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
        a.industry !== undefined ? row('industry', 'Industry', a.industry || '—') : null),
      this.planForm(a, ans));
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
          await this.lookUp(this.lastQuery, h('div', { class: 'alert ok', id: 'plan-changed', 'data-id': id, 'data-plan': plan },
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
