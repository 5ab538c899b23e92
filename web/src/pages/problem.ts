// An explained error for a failed API call that no page can do anything about (network, 503,
// anything unexpected): what happened and what to try, in the page's language (errors.ts), with
// the request ID of a failure on the server's side. A 403 forbidden_role (a child ID asked for a
// change only the main ID may make, SPEC §15) is no failure to retry: it says so in the page's
// language, and who can do it.
//   container.append(problem(error))

import { h } from '../dom';
import { t, texts } from '../i18n';
import { ApiError } from '../api';
import { explain, requestIdLine } from '../errors';

texts({
  ja: {
    'problem.title': 'ただいま処理できませんでした',
    'problem.retry': '時間をおいて、もう一度お試しください。解決しない場合は、ページを再読み込みしてください。',
    'problem.reload': '再読み込み',
    'problem.role.title': 'メインIDのみが行える操作です',
    'problem.role': 'この操作は、子IDでは行えません。必要な場合は、メインIDの管理者にご依頼ください。',
  },
  en: {
    'problem.title': 'This could not be done just now',
    'problem.retry': 'Please try again in a moment. If it keeps happening, reload the page.',
    'problem.reload': 'Reload',
    'problem.role.title': 'Only the main ID can do this',
    'problem.role': 'A child ID cannot make this change. Please ask the administrator of the main ID if it is needed.',
  },
});

export function problem(error: unknown): HTMLElement {
  const api = error instanceof ApiError ? error : null;
  if (api?.status === 403 && api.code === 'forbidden_role') return roleProblem();
  // What happened and what to do, in the page's language whatever the server or the script said
  // (errors.ts); a failure on the server's side keeps its request ID for support.
  const e = explain(error);
  return h('div', { class: 'alert error problem', role: 'alert', 'data-status': String(e.status), 'data-code': e.code },
    h('p', { class: 'problem-title' }, h('strong', {}, t('problem.title'))),
    h('p', { class: 'problem-message' }, e.message),
    h('p', { class: 'small' }, e.next ?? t('problem.retry'), ' ',
      h('button', { type: 'button', class: 'link-button', onclick: () => location.reload() }, t('problem.reload'))),
    requestIdLine(error));
}

// What a child ID meets where only the main ID may act (the page's own words, whatever language
// the server answered in).
export function roleProblem(): HTMLElement {
  return h('div', { class: 'alert warn problem role-problem', role: 'alert', 'data-code': 'forbidden_role' },
    h('p', { class: 'problem-title' }, h('strong', {}, t('problem.role.title'))),
    h('p', {}, t('problem.role')));
}
