// The page for a path no route knows: in the app frame for a logged-in visitor, else the public one.

import { setNotFound, setErrorPage } from '../router';
import { problem } from './problem';
import { h } from '../dom';
import { t, texts } from '../i18n';
import { currentMe } from '../session';
import { appFrame, publicFrame } from '../layout';

texts({
  ja: {
    'notfound.title': 'ページが見つかりません',
    'notfound.text': 'お探しのページは見つかりませんでした。URLが正しいかご確認ください。ページは移動または削除された可能性があります。',
    'notfound.home': 'ホームへ', 'notfound.login': 'ログイン画面へ', 'notfound.signup': '新規お申し込み',
  },
  en: {
    'notfound.title': 'Page not found',
    'notfound.text': 'The page you are looking for was not found. Check the address; the page may have moved or been removed.',
    'notfound.home': 'Go to Home', 'notfound.login': 'Go to the login page', 'notfound.signup': 'Apply for CX Support',
  },
});

setNotFound(async () => {
  const me = currentMe();
  const section = h('section', { id: 'not-found', class: 'card', 'aria-labelledby': 'not-found-title' },
    h('h1', { id: 'not-found-title' }, t('notfound.title')),
    h('p', {}, t('notfound.text')),
    h('ul', { class: 'link-list' },
      me ? h('li', {}, h('a', { href: '/dashboard' }, t('notfound.home')))
        : [h('li', {}, h('a', { href: '/' }, t('notfound.home'))),
          h('li', {}, h('a', { href: '/login' }, t('notfound.login'))),
          h('li', {}, h('a', { href: '/signup' }, t('notfound.signup')))]));
  return { title: t('notfound.title'), element: me ? appFrame('', section) : publicFrame(section) };
});

// A page whose building failed shows the problem in the frame it belongs in.
setErrorPage(async (error) => {
  const section = h('section', { id: 'page-error' }, h('h1', {}, t('problem.title')), problem(error));
  return { title: t('problem.title'), element: currentMe() ? appFrame('', section) : publicFrame(section) };
});
