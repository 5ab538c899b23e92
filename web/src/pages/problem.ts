// An explained error for a failed API call that no page can do anything about (network, 503,
// anything unexpected): the server's message when there is one, and what to try.
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
  },
  en: {
    'problem.title': 'This could not be done just now',
    'problem.unexpected': 'An unexpected error occurred.',
    'problem.retry': 'Please try again in a moment. If it keeps happening, reload the page.',
    'problem.retry_after': 'Please wait about {n} seconds and try again.',
    'problem.reload': 'Reload',
  },
});

export function problem(error: unknown): HTMLElement {
  const api = error instanceof ApiError ? error : null;
  const message = api?.message || t('problem.unexpected');
  const hint = api?.retryAfter ? t('problem.retry_after', { n: api.retryAfter }) : t('problem.retry');
  return h('div', { class: 'alert error problem', role: 'alert' },
    h('p', { class: 'problem-title' }, h('strong', {}, t('problem.title'))),
    h('p', {}, message),
    h('p', { class: 'small' }, hint, ' ',
      h('button', { type: 'button', class: 'link-button', onclick: () => location.reload() }, t('problem.reload'))));
}
