// "Pending sign-up" on the /ops page (SPEC §19): DELETE /admin/signup/{opid} cancels the OPID's
// pending application — the link of its mail (1/3) stops working and the OPID may be applied for
// again. 204 → the status line says so; 404 (nothing pending for the OPID) at the field; 409 (its
// confirmation is under way) in the status line. The server decides: the form only asks for a
// value to put in the path.

import { h, clear } from '../dom';
import { ops, OpsError, describe } from './api';

export interface SignupCancel { element: HTMLElement; dispose(): void }

export function signupCancel(): SignupCancel {
  let disposed = false;
  let working = false;
  const input = h('input', { type: 'text', id: 'signup-cancel-opid', name: 'opid', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', maxlength: 64, 'aria-describedby': 'signup-cancel-opid-hint signup-cancel-opid-error' });
  const error = h('p', { class: 'field-error', id: 'signup-cancel-opid-error' });
  const button = h('button', { type: 'submit', id: 'signup-cancel-submit' }, 'Cancel application');
  const status = h('div', { class: 'signup-cancel-status', id: 'signup-cancel-status', role: 'status' });
  const form = h('form', { id: 'signup-cancel-form', novalidate: true, 'aria-labelledby': 'signup-cancel-card-title' },
    h('div', { class: 'field' },
      h('label', { for: input.id }, 'OPID'),
      h('div', { class: 'lookup-row' }, input, button),
      h('p', { class: 'hint', id: 'signup-cancel-opid-hint' },
        'The OPID of an application whose link (mail 1/3) has not been used yet. Cancelling it stops the link, and the OPID may be applied for again.'),
      error));

  const atField = (text: string) => {
    error.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  const say = (kind: 'ok' | 'error', result: string, opid: string, text: string) =>
    status.replaceChildren(h('div', { class: `alert ${kind}`, role: kind === 'error' ? 'alert' : null, 'data-result': result,
      'data-opid': opid }, text));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (working) return;
    clear(status);
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const opid = input.value.trim();
    if (!opid) return atField('Enter the OPID of the application.');
    working = true;
    button.setAttribute('aria-disabled', 'true');
    void (async () => {
      try {
        await ops('DELETE', `/admin/signup/${encodeURIComponent(opid)}`);
        if (disposed) return;
        say('ok', 'cancelled', opid, `The pending application of OPID ${opid} was cancelled; the OPID is free again.`);
      } catch (failure) {
        if (disposed || (failure instanceof OpsError && failure.status === 401)) return;
        const code = failure instanceof OpsError ? failure.status : 0;
        if (code === 404) atField('No application is pending for this OPID.');
        else if (code === 409) say('error', 'confirming', opid, 'Its confirmation is under way; try again in a moment.');
        else if (code === 422 && failure instanceof OpsError && failure.errors.length) atField(failure.errors.map((f) => f.message).join(' '));
        else say('error', 'failed', opid, `The application was not cancelled: ${describe(failure)}`);
      } finally {
        working = false;
        button.removeAttribute('aria-disabled');
      }
    })();
  });

  return {
    element: h('div', { class: 'signup-cancel' },
      h('p', { class: 'muted small' }, 'Cancel a sign-up application that is waiting for its confirmation, for instance one sent with a wrong mail address.'),
      form, status),
    dispose: () => { disposed = true; },
  };
}
