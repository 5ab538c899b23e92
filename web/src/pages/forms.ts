// What every form of the account pages shares: a labelled field with its hint and its error
// element (`#error-<name>`, referenced by aria-describedby), checks while typing and on leaving a
// field, the server's 422 `errors` shown at their fields, a summary at the top that links to the
// fields, and a busy state on the submit button. The client's checks are a fast pre-check of the
// server's rules: their messages and limits come from the server's own catalogue, exported at
// build time (generated/form-rules.json, docs/web.md "Form rules from one source"); the server
// stays the judge.

import { h, clear } from '../dom';
import { t, texts, lang } from '../i18n';
import { ApiError, type FieldError } from '../api';
import { problem } from './problem';
import { errorSentence } from '../errors';
import formRules from '../generated/form-rules.json';

texts({
  ja: {
    'aform.busy': '送信中…', 'aform.summary': '入力内容をご確認ください（{n}件）',
    'aform.required_mark': '（必須）', 'aform.optional': '任意', 'aform.select': '選択してください',
    // Browser-only rules (the server never sees a confirmation; a wrong code is its 401); every
    // other rule's message is the server's (formRules.messages).
    'arule.password_confirm_required': '確認のため、パスワードをもう一度入力してください。',
    'arule.password_confirm': '確認用のパスワードが一致しません。同じパスワードを入力してください。',
    'arule.code': 'ワンタイムパスワードは半角数字6桁で入力してください。',
    'ahint.password': '半角英数字{min}〜{max}文字。英大文字・英小文字・数字をそれぞれ1文字以上含めてください。',
    'ahint.an_format': '{prefix}＋{n}桁', 'ahint.an_sep': '、', 'ahint.an_last_sep': '、',
    'ahint.password_confirm': '確認のため、もう一度入力してください。',
    'ahint.phone': '市外局番から半角数字で入力してください（ハイフン可）。例: 03-1234-5678',
    'af.contractor_name': '契約者名', 'af.industry': '業種', 'af.phone': '連絡先電話番号', 'af.department': '部署',
    'af.person': '担当者名', 'af.email': 'メールアドレス', 'af.opid': 'OPID', 'af.an': 'FD/ND番号', 'af.dn': '着信先番号',
    'af.plan': 'プラン', 'af.billing_an': '請求用FD/ND番号', 'af.billing_phone': '請求用電話番号', 'af.password': 'パスワード',
    'af.password_confirm': 'パスワード（確認）', 'af.auth_method': '認証方式', 'af.has_sales_code': '営業コードをお持ちの方',
    'af.sales_code': '営業コード', 'af.current_password': '現在のパスワード', 'af.new_password': '新しいパスワード',
    'af.new_password_confirm': '新しいパスワード（確認）', 'af.id': 'CX Support ID', 'af.code': 'ワンタイムパスワード',
    'aplan.free': 'フリープラン', 'aplan.standard': 'スタンダードプラン',
    'aauth.otp': 'ワンタイムパスワード（メール）', 'aauth.certificate': '電子証明書',
  },
  en: {
    'aform.busy': 'Sending…', 'aform.summary': 'Please check your entries ({n})',
    'aform.required_mark': ' (required)', 'aform.optional': 'optional', 'aform.select': 'Please select',
    'arule.password_confirm_required': 'Please enter the password again to confirm it.',
    'arule.password_confirm': 'The passwords do not match. Please enter the same password again.',
    'arule.code': 'Enter the 6-digit one-time password.',
    'ahint.password': '{min} to {max} half-width letters and digits, with at least one upper-case letter, one lower-case letter and one digit.',
    'ahint.an_format': '{prefix} + {n} digits', 'ahint.an_sep': ', ', 'ahint.an_last_sep': ' or ',
    'ahint.password_confirm': 'Enter the same password again.',
    'ahint.phone': 'Half-width digits with the area code (hyphens allowed), e.g. 03-1234-5678',
    'af.contractor_name': 'Contractor name', 'af.industry': 'Industry', 'af.phone': 'Contact phone number', 'af.department': 'Department',
    'af.person': 'Person in charge', 'af.email': 'Email address', 'af.opid': 'OPID', 'af.an': 'FD/ND number', 'af.dn': 'Destination number',
    'af.plan': 'Plan', 'af.billing_an': 'Billing FD/ND number', 'af.billing_phone': 'Billing phone number', 'af.password': 'Password',
    'af.password_confirm': 'Password (again)', 'af.auth_method': 'Authentication method', 'af.has_sales_code': 'I have a sales code',
    'af.sales_code': 'Sales code', 'af.current_password': 'Current password', 'af.new_password': 'New password',
    'af.new_password_confirm': 'New password (again)', 'af.id': 'CX Support ID', 'af.code': 'One-time password',
    'aplan.free': 'Free plan', 'aplan.standard': 'Standard plan',
    'aauth.otp': 'One-time password (by email)', 'aauth.certificate': 'Client certificate',
  },
});

// ---------------------------------------------------------------------------------------------
// Rules: a fast pre-check of the server's (domain/signup.cpp, account.cpp, numbers.cpp). Messages,
// limits, AN formats and industries are the server's own, from generated/form-rules.json
// (written by ./ops/cxs build from build/bin/cxs-form-rules); each check returns an error or null.

export type Check = (value: string) => string | null;

type Catalogue = typeof formRules.messages;
type Field = keyof Catalogue;
// The fields whose server catalogue has a message for code.
type FieldWith<C extends string> = { [F in Field]: C extends keyof Catalogue[F] ? F : never }[Field];
type Text = { ja: string; en: string };

// The server's message for a field and code (domain::field_message), in the page's language.
// Typed on the export: asking for a message the server does not have fails the typecheck.
export function message<F extends Field>(field: F, code: keyof Catalogue[F] & string): string {
  return (formRules.messages[field] as Record<string, Text>)[code][lang()];
}

export const limits = formRules.limits;
// The industries of SPEC §14 in the server's order; the label is the value.
export const industries: readonly string[] = formRules.industries;

// The AN formats as a hint lists them: "0120＋6桁、0800＋7桁、0570＋6桁" / "0120 + 6 digits, … or …".
export function anFormatsText(): string {
  const parts = formRules.an_formats.map((f) => t('ahint.an_format', { prefix: f.prefix, n: f.digits - f.prefix.length }));
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(t('ahint.an_sep'))}${t('ahint.an_last_sep')}${parts[parts.length - 1]}`;
}

const length = (s: string) => [...s].length;
export const digitsOf = (s: string) => s.replace(/-/g, '');
const alnum = (min: number, max = min) => new RegExp(`^[A-Za-z0-9]{${min},${max}}$`);

// A Japanese number in national format, approximately: libphonenumber decides on the server (its
// 422 stays final); the browser checks only the length, the leading 0 and the international prefix.
const looksLikeJpPhone = (d: string) =>
  /^0\d+$/.test(d) && d.length >= limits.phone.min_digits && d.length <= limits.phone.max_digits && !d.startsWith(limits.phone.international_prefix);
const isAn = (d: string) => /^\d+$/.test(d) && formRules.an_formats.some((f) => d.startsWith(f.prefix) && d.length === f.digits);

type TextField = 'contractor_name' | 'department' | 'person';

export const rules = {
  required: (field: FieldWith<'required'>): Check => (v) => (v.trim() === '' ? message(field, 'required') : null),
  // A choice left empty: the server's "required" of a choice field says "select".
  selected: (field: FieldWith<'required'>): Check => (v) => (v === '' ? message(field, 'required') : null),
  maxLength: (field: TextField): Check => (v) => (length(v) > limits.text_max ? message(field, 'too_long') : null),
  noControl: (field: TextField): Check => (v) => (/[\u0000-\u001f\u007f]/.test(v) ? message(field, 'invalid') : null),
  phone: (field: 'phone' | 'dn' | 'billing_phone'): Check => (v) =>
    (v.trim() === '' || looksLikeJpPhone(digitsOf(v.trim())) ? null : message(field, 'invalid')),
  an: (field: 'an' | 'billing_an'): Check => (v) => (v.trim() === '' || isAn(digitsOf(v.trim())) ? null : message(field, 'invalid')),
  email: (): Check => (v) => {
    const s = v.trim();
    if (s === '') return null;
    if (length(s) > limits.email_max) return message('email', 'too_long');
    const at = s.indexOf('@');
    const domain = s.slice(at + 1);
    const ok = at > 0 && at === s.lastIndexOf('@') && domain.indexOf('.') > 0 && !domain.endsWith('.') && !/[\s\u0000-\u001f\u007f]/.test(s);
    return ok ? null : message('email', 'invalid');
  },
  opid: (): Check => (v) => (v.trim() === '' || alnum(limits.opid.min, limits.opid.max).test(v.trim()) ? null : message('opid', 'invalid')),
  password: (): Check => (v) => (v === '' || (alnum(limits.password.min, limits.password.max).test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && /\d/.test(v))
    ? null : message('password', 'weak_password')),
  salesCode: (): Check => (v) => (v.trim() === '' || alnum(limits.sales_code_length).test(v.trim()) ? null : message('sales_code', 'invalid')),
};

// The first error of several checks.
export const all = (...checks: Check[]): Check => (v) => {
  for (const c of checks) { const e = c(v); if (e) return e; }
  return null;
};

// ---------------------------------------------------------------------------------------------
// Fields

type Control = HTMLInputElement | HTMLSelectElement;

interface Entry {
  name: string;
  controls: Control[];
  error: HTMLElement;
  check?: Check;
  when?: () => boolean;      // the field counts only while this holds (billing fields on standard)
  read?: () => string;       // the value of a field the page builds itself (custom)
  touched: boolean;
}

export interface FieldOptions {
  name: string;
  label: string;
  required?: boolean;
  hint?: string | Node;
  value?: string;
  check?: Check;
  when?: () => boolean;
}

export interface TextOptions extends FieldOptions {
  type?: 'text' | 'email' | 'tel' | 'password';
  autocomplete?: string;
  inputmode?: string;
  maxlength?: number;
}

export interface Choice { value: string; label: string; hint?: string }

export const inputId = (name: string) => `in-${name}`;
export const errorId = (name: string) => `error-${name}`;
const hintId = (name: string) => `hint-${name}`;

function labelText(text: string, required?: boolean): Node[] {
  return [h('span', { class: required ? 'required' : '' }, text),
    required ? h('span', { class: 'sr-only' }, t('aform.required_mark')) : null].filter(Boolean) as Node[];
}

export class FormController {
  private entries = new Map<string, Entry>();
  readonly summary: HTMLElement;

  // Fields left while a submit button is held down: checked once it is released.
  private deferred: Set<string> | null = null;

  // idPrefix keeps element ids unique when two forms of one page share a field name (the
  // current password on /settings): ids become in-<prefix><name>, error-<prefix><name>, ….
  constructor(readonly form: HTMLFormElement, readonly idPrefix = '') {
    form.noValidate = true;
    // Classed as an error alert only while it shows something (tests and styles look for .alert.error).
    this.summary = h('div', { class: 'error-summary hidden', tabindex: '-1', id: `${form.id}-summary` });
    // Pressing the submit button takes the focus from the field being typed in; an error shown at
    // that field at once would push the button down before it is released, and the click would
    // be lost (the user presses "submit" and nothing happens). While the button is held, the check
    // of a field being left waits; the submit checks every field anyway.
    form.addEventListener('mousedown', (ev) => {
      if (!(ev.target as Element | null)?.closest?.('button[type="submit"]')) return;
      this.deferred = new Set();
      window.addEventListener('mouseup', () => setTimeout(() => {
        const names = this.deferred ?? new Set<string>();
        this.deferred = null;
        for (const name of names) this.validate(name);
      }), { once: true });
    });
  }

  value(name: string): string {
    const entry = this.entries.get(name);
    if (!entry) return '';
    if (entry.read) return entry.read();
    const c = entry.controls;
    if (c.length && c[0] instanceof HTMLInputElement && (c[0].type === 'radio' || c[0].type === 'checkbox')) {
      if (c[0].type === 'checkbox') return (c[0] as HTMLInputElement).checked ? 'true' : '';
      return (c as HTMLInputElement[]).find((r) => r.checked)?.value ?? '';
    }
    return c[0]?.value ?? '';
  }

  control(name: string): Control | undefined { return this.entries.get(name)?.controls[0]; }

  private register(entry: Entry): void {
    this.entries.set(entry.name, entry);
    const onLeave = () => {
      entry.touched = true;
      if (this.deferred) this.deferred.add(entry.name); else this.validate(entry.name);
    };
    const onChange = () => { if (entry.touched) this.validate(entry.name); };
    for (const c of entry.controls) {
      const isChoice = c instanceof HTMLSelectElement || c.type === 'radio' || c.type === 'checkbox';
      c.addEventListener('blur', onLeave);
      c.addEventListener(isChoice ? 'change' : 'input', isChoice ? onLeave : onChange);
    }
  }

  private describe(control: Control, name: string, hasHint: boolean): void {
    control.setAttribute('aria-describedby', [hasHint ? hintId(this.idPrefix + name) : '', errorId(this.idPrefix + name)].filter(Boolean).join(' '));
    control.setAttribute('aria-invalid', 'false');
  }

  private errorElement(name: string): HTMLElement {
    return h('div', { class: 'field-error', id: errorId(this.idPrefix + name) });
  }

  private hintElement(name: string, hint?: string | Node): HTMLElement | null {
    return hint ? h('div', { class: 'hint', id: hintId(this.idPrefix + name) }, hint) : null;
  }

  // The form's submit: every field checked, the button busy while `send` runs. A 422 shows its
  // errors at their fields; anything else goes to `onError` first (true = handled), else into
  // `messages` (the server's message for 429, the problem box otherwise).
  onSubmit(button: HTMLButtonElement, messages: HTMLElement, send: () => Promise<void>, onError?: (error: unknown) => boolean): void {
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      show(messages);
      if (!this.validateAll()) return;
      void withBusy(button, async () => {
        try {
          await send();
        } catch (error) {
          if (error instanceof ApiError && error.status === 422 && error.errors.length) this.showServerErrors(error.errors);
          else if (onError?.(error)) return;
          else show(messages, error instanceof ApiError && error.status === 429
            ? alertBox('error', { 'data-status': '429', 'data-code': error.code }, serverMessage(error)) : problem(error));
        }
      });
    });
  }

  // Keeps what is typed (never a password) in `values`, so that the page built again for the
  // other language (see pageState) shows it again.
  keepTyped(values: Record<string, string>): void {
    const keep = (ev: Event) => {
      const el = ev.target as HTMLInputElement | HTMLSelectElement;
      if (!el.name || el.type === 'password') return;
      values[el.name] = this.value(el.name);
    };
    this.form.addEventListener('input', keep);
    this.form.addEventListener('change', keep);
  }

  // A new password and its confirmation: the sign-up rule, and the two compared as the user types.
  newPassword(label: string, confirmLabel: string): HTMLElement[] {
    const max = limits.password.max;
    const fields = [
      this.text({ name: 'password', label, type: 'password', required: true, autocomplete: 'new-password', maxlength: max,
        hint: t('ahint.password', { min: limits.password.min, max }), check: all(rules.required('password'), rules.password()) }),
      this.text({ name: 'password_confirm', label: confirmLabel, type: 'password', required: true, autocomplete: 'new-password', maxlength: max,
        hint: t('ahint.password_confirm'),
        check: all((x) => (x === '' ? t('arule.password_confirm_required') : null),
          (x) => (x === this.value('password') ? null : t('arule.password_confirm'))) }),
    ];
    this.control('password')!.addEventListener('input', () => { if (this.value('password_confirm')) this.validate('password_confirm'); });
    return fields;
  }

  text(o: TextOptions): HTMLElement {
    const input = h('input', {
      id: inputId(this.idPrefix + o.name), name: o.name, type: o.type ?? 'text', autocomplete: o.autocomplete ?? 'off',
      inputmode: o.inputmode, maxlength: o.maxlength, 'aria-required': o.required ? 'true' : null, spellcheck: 'false',
    });
    if (o.value !== undefined) input.value = o.value;
    this.describe(input, o.name, !!o.hint);
    const error = this.errorElement(o.name);
    this.register({ name: o.name, controls: [input], error, check: o.check, when: o.when, touched: false });
    return h('div', { class: 'field', id: `field-${this.idPrefix}${o.name}` },
      h('label', { for: input.id }, ...labelText(o.label, o.required)), input, this.hintElement(o.name, o.hint), error);
  }

  select(o: FieldOptions & { choices: Choice[]; placeholder?: string }): HTMLElement {
    const select = h('select', { id: inputId(this.idPrefix + o.name), name: o.name, 'aria-required': o.required ? 'true' : null },
      o.placeholder !== undefined ? h('option', { value: '' }, o.placeholder) : null,
      ...o.choices.map((c) => h('option', { value: c.value }, c.label)));
    if (o.value !== undefined) select.value = o.value;
    this.describe(select, o.name, !!o.hint);
    const error = this.errorElement(o.name);
    this.register({ name: o.name, controls: [select], error, check: o.check, when: o.when, touched: false });
    return h('div', { class: 'field', id: `field-${this.idPrefix}${o.name}` },
      h('label', { for: select.id }, ...labelText(o.label, o.required)), select, this.hintElement(o.name, o.hint), error);
  }

  radios(o: FieldOptions & { choices: Choice[]; onchange?: (value: string) => void }): HTMLElement {
    const radios = o.choices.map((c) => {
      const r = h('input', { type: 'radio', name: o.name, value: c.value, id: inputId(`${this.idPrefix}${o.name}-${c.value}`) });
      if (o.value === c.value) r.checked = true;
      this.describe(r, o.name, !!o.hint);
      if (o.onchange) r.addEventListener('change', () => o.onchange!(c.value));
      return r;
    });
    const error = this.errorElement(o.name);
    this.register({ name: o.name, controls: radios, error, check: o.check, when: o.when, touched: false });
    return h('fieldset', { class: 'field', id: `field-${this.idPrefix}${o.name}`, 'aria-describedby': [o.hint ? hintId(this.idPrefix + o.name) : '', errorId(this.idPrefix + o.name)].filter(Boolean).join(' '),
      'aria-required': o.required ? 'true' : null },
      h('legend', {}, ...labelText(o.label, o.required)),
      h('div', { class: 'choices' }, ...o.choices.map((c, i) =>
        h('label', { for: radios[i].id }, radios[i], h('span', {}, c.label, c.hint ? h('span', { class: 'hint choice-hint' }, c.hint) : null)))),
      this.hintElement(o.name, o.hint), error);
  }

  checkbox(o: FieldOptions & { checked?: boolean; onchange?: (checked: boolean) => void }): HTMLElement {
    const box = h('input', { type: 'checkbox', name: o.name, id: inputId(this.idPrefix + o.name), value: 'true' });
    box.checked = !!o.checked;
    this.describe(box, o.name, !!o.hint);
    if (o.onchange) box.addEventListener('change', () => o.onchange!(box.checked));
    const error = this.errorElement(o.name);
    this.register({ name: o.name, controls: [box], error, check: o.check, when: o.when, touched: false });
    return h('div', { class: 'field checkbox-field', id: `field-${this.idPrefix}${o.name}` },
      h('label', { for: box.id, class: 'checkbox-label' }, box, h('span', {}, o.label)), this.hintElement(o.name, o.hint), error);
  }

  // A field the page builds itself (the members of a group: a searchable list of checkboxes and a
  // paste box), registered like the others so that its checks and the server's 422 errors show at
  // it. `controls` may grow later (the same array is kept); `read` gives the value the checks see.
  custom(o: { name: string; label: string; required?: boolean; hint?: string | Node; controls: Control[]; body: Node[];
    read: () => string; check?: Check }): HTMLElement {
    const error = this.errorElement(o.name);
    const hint = this.hintElement(o.name, o.hint);
    for (const c of o.controls) this.describe(c, o.name, !!o.hint);
    this.register({ name: o.name, controls: o.controls, error, check: o.check, read: o.read, touched: false });
    return h('fieldset', { class: 'field', id: `field-${this.idPrefix}${o.name}`,
      'aria-describedby': [o.hint ? hintId(this.idPrefix + o.name) : '', errorId(this.idPrefix + o.name)].filter(Boolean).join(' ') },
    h('legend', {}, ...labelText(o.label, o.required)), hint, ...o.body, error);
  }

  // Ties a control added to a custom field after it was built to the field's hint and error.
  adopt(name: string, control: Control): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    const first = entry.controls[0];
    if (!entry.controls.includes(control)) entry.controls.push(control);
    control.setAttribute('aria-describedby', first?.getAttribute('aria-describedby') ?? errorId(this.idPrefix + name));
    control.setAttribute('aria-invalid', first?.getAttribute('aria-invalid') ?? 'false');
  }

  // Shows (or clears, with null) the error of one field.
  setError(name: string, message: string | null): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    entry.error.textContent = message ?? '';
    for (const c of entry.controls) c.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  isActive(name: string): boolean {
    const entry = this.entries.get(name);
    return !!entry && (!entry.when || entry.when());
  }

  // Runs one field's checks; returns its error.
  validate(name: string): string | null {
    const entry = this.entries.get(name);
    if (!entry) return null;
    const message = this.isActive(name) && entry.check ? entry.check(this.value(name)) : null;
    this.setError(name, message);
    return message;
  }

  // Every field's checks; shows the summary when something is wrong and returns false.
  validateAll(): boolean {
    const errors: FieldError[] = [];
    for (const entry of this.entries.values()) {
      entry.touched = true;
      const message = this.validate(entry.name);
      if (message) errors.push({ field: entry.name, code: 'client', message });
    }
    this.showSummary(errors);
    return errors.length === 0;
  }

  // The server's 422 `errors`: each at its field, all in the summary.
  showServerErrors(errors: FieldError[]): void {
    for (const entry of this.entries.values()) this.setError(entry.name, null);
    for (const e of errors) {
      const entry = this.entries.get(e.field);
      if (entry) { entry.touched = true; this.setError(e.field, e.message); }
    }
    this.showSummary(errors);
  }

  clearErrors(): void {
    for (const entry of this.entries.values()) this.setError(entry.name, null);
    this.showSummary([]);
  }

  showSummary(errors: FieldError[]): void {
    // In the order of the fields on the page; errors without a field of this form last.
    const at = (e: FieldError) => this.entries.get(e.field)?.controls[0];
    errors = [...errors].sort((a, b) => {
      const x = at(a), y = at(b);
      if (!x || !y) return x ? -1 : y ? 1 : 0;
      return x === y ? 0 : x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    clear(this.summary);
    this.summary.className = errors.length ? 'alert error error-summary' : 'error-summary hidden';
    if (!errors.length) return;
    const headingId = `${this.summary.id}-title`;
    this.summary.setAttribute('aria-labelledby', headingId);
    this.summary.append(
      h('h2', { id: headingId, class: 'summary-title' }, t('aform.summary', { n: errors.length })),
      h('ul', {}, ...errors.map((e) => {
        const entry = this.entries.get(e.field);
        if (!entry || !entry.controls.length) return h('li', {}, e.message);
        const target = entry.controls.find((c) => (c as HTMLInputElement).checked) ?? entry.controls[0];
        return h('li', {}, h('a', {
          href: `#${target.id}`,
          onclick: (ev: Event) => { ev.preventDefault(); target.focus(); target.scrollIntoView({ block: 'center' }); },
        }, e.message));
      })));
    this.summary.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Buttons and messages

// Runs fn with the button disabled and labelled as busy; a second click meanwhile does nothing.
export async function withBusy(button: HTMLButtonElement, fn: () => Promise<void>): Promise<void> {
  if (button.getAttribute('aria-busy') === 'true') return;
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = t('aform.busy');
  try {
    await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

// A message box; errors are announced at once, the rest politely.
export function alertBox(kind: 'error' | 'info' | 'ok' | 'warn', attrs: Record<string, string> = {}, ...children: (Node | string | null)[]): HTMLElement {
  return h('div', { class: `alert ${kind}`, role: kind === 'error' ? 'alert' : 'status', ...attrs }, ...children);
}

// What a refused request says, in the page's language (errors.ts): the server's message when it is
// in that language, else the page's own words for its code; with what to do next (the wait of a
// 429) and the request ID of a 5xx.
export function serverMessage(error: unknown): string {
  return errorSentence(error);
}

// Replaces what a message area shows.
export function show(area: HTMLElement, ...children: (Node | null)[]): void {
  clear(area);
  for (const c of children) if (c) area.appendChild(c);
  const first = area.firstElementChild as HTMLElement | null;
  if (first) first.scrollIntoView?.({ block: 'nearest' });
}

export { formatAn } from '../format';

// 2026-11-20 → 2026年11月20日 / 2026-11-20.
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  return lang() === 'ja' ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : `${m[1]}-${m[2]}-${m[3]}`;
}

// An instant in Japan time: 2026年11月21日 12:00 / Nov 21, 2026, 12:00 (JST).
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = new Intl.DateTimeFormat(lang() === 'ja' ? 'ja-JP' : 'en-US', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: lang() === 'ja' ? 'long' : 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
  return `${text} (JST)`;
}

// A page's state that survives the page being built again for a language switch (the frame's
// switch re-renders the current page) but starts fresh on every other visit. Memory only.
export function pageState<T>(initial: () => T): { enter(): { state: T; dispose: () => void } } {
  let state = initial();
  let aliveLang: string | null = null;
  let instance = 0;
  return {
    enter() {
      if (aliveLang === null || aliveLang === lang()) state = initial();
      const mine = ++instance;
      aliveLang = lang();
      return { state, dispose: () => { if (instance === mine) aliveLang = null; } };
    },
  };
}
