// An explained error for a failed API call that no page can do anything about (network, 503,
// anything unexpected): the server's message when there is one, and what to try. A 403
// forbidden_role (a child ID asked for a change only the main ID may make, SPEC §15) is no failure
// to retry: it says so in the page's language, and who can do it.
//   container.append(problem(error))

import { h } from '../dom';
import { t, texts } from '../i18n';
import { ApiError } from '../api';

texts({
  ja: {
    'problem.title': 'ただいま処理できませんでした',
    'problem.unexpected': '予期しないエラーが発生しました。',
    'problem.retry': '時間をおいて、もう一度お試しください。解決しない場合は、ページを再読み込みしてください。',
    'problem.retry_after': '{n}秒ほど待ってから、もう一度お試しください。',
    'problem.reload': '再読み込み',
    'problem.role.title': 'メインIDのみが行える操作です',
    'problem.role': 'この操作は、子IDでは行えません。必要な場合は、メインIDの管理者にご依頼ください。',
  },
  en: {
    'problem.title': 'This could not be done just now',
    'problem.unexpected': 'An unexpected error occurred.',
    'problem.retry': 'Please try again in a moment. If it keeps happening, reload the page.',
    'problem.retry_after': 'Please wait about {n} seconds and try again.',
    'problem.reload': 'Reload',
    'problem.role.title': 'Only the main ID can do this',
    'problem.role': 'A child ID cannot make this change. Please ask the administrator of the main ID if it is needed.',
  },
});

export function problem(error: unknown): HTMLElement {
  const api = error instanceof ApiError ? error : null;
  if (api?.status === 403 && api.code === 'forbidden_role') return roleProblem();
  const message = api?.message || t('problem.unexpected');
  const hint = api?.retryAfter ? t('problem.retry_after', { n: api.retryAfter }) : t('problem.retry');
  return h('div', { class: 'alert error problem', role: 'alert' },
    h('p', { class: 'problem-title' }, h('strong', {}, t('problem.title'))),
    h('p', {}, message),
    h('p', { class: 'small' }, hint, ' ',
      h('button', { type: 'button', class: 'link-button', onclick: () => location.reload() }, t('problem.reload'))));
}

// What a child ID meets where only the main ID may act (the page's own words, whatever language
// the server answered in).
export function roleProblem(): HTMLElement {
  return h('div', { class: 'alert warn problem role-problem', role: 'alert', 'data-code': 'forbidden_role' },
    h('p', { class: 'problem-title' }, h('strong', {}, t('problem.role.title'))),
    h('p', {}, t('problem.role')));
}
