// The two frames every page sits in: the public frame (brand and language switch) for pages
// without a session, and the app frame (navigation, account, logout) for the rest. The navigation
// lists every analysis of the catalogue; standard ones are marked for free accounts, which are
// offered the upgrade instead of a broken link. A child ID (SPEC §15) is not offered what only the
// main ID may do: the child IDs page and the plan change.

import { h } from './dom';
import { t, texts, lang, setLang } from './i18n';
import { api } from './api';
import { navigate, render } from './router';
import { currentMe, setMe, isChild } from './session';

texts({
  ja: {
    'app.name': 'CX Support', 'nav.dashboard': 'ホーム', 'nav.analyses': '分析', 'nav.report': 'レポート作成',
    'nav.settings': '基本情報設定', 'nav.groups': 'グループ', 'nav.custom': '独自データ', 'nav.users': '子ID', 'nav.plan': 'プラン', 'nav.child': '子ID', 'nav.logout': 'ログアウト', 'nav.menu': 'メニュー',
    'nav.standard': 'スタンダード', 'lang.switch': 'English', 'lang.label': '表示言語', 'skip': '本文へ移動',
    'footer': 'フリーダイヤル・ナビダイヤルのトラフィック分析サービス',
  },
  en: {
    'app.name': 'CX Support', 'nav.dashboard': 'Home', 'nav.analyses': 'Analyses', 'nav.report': 'Report',
    'nav.settings': 'Settings', 'nav.groups': 'Groups', 'nav.custom': 'Custom data', 'nav.users': 'Child IDs', 'nav.plan': 'Plan', 'nav.child': 'child ID', 'nav.logout': 'Log out', 'nav.menu': 'Menu',
    'nav.standard': 'Standard', 'lang.switch': '日本語', 'lang.label': 'Language', 'skip': 'Skip to content',
    'footer': 'Call traffic analytics for toll-free and navi-dial numbers',
  },
});

// One entry of the analysis navigation (the catalogue in analyses/ fills this list).
export interface NavEntry { path: string; label: () => string; standard: boolean }
export const analysisNav: NavEntry[] = [];

function langSwitch(): HTMLElement {
  return h('button', {
    type: 'button', class: 'link-button lang-switch', 'aria-label': t('lang.label'), lang: lang() === 'ja' ? 'en' : 'ja',
    onclick: () => { setLang(lang() === 'ja' ? 'en' : 'ja'); void render(); },
  }, t('lang.switch'));
}

export function publicFrame(...content: (Node | string)[]): HTMLElement {
  return h('div', { class: 'frame public-frame' },
    h('a', { class: 'skip-link', href: '#main' }, t('skip')),
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '/login' }, t('app.name')),
      h('div', { class: 'topbar-end' }, langSwitch())),
    h('main', { id: 'main', class: 'public-main' }, ...content),
    h('footer', { class: 'footer' }, t('footer')));
}

export async function logout(): Promise<void> {
  try { await api('POST', '/api/logout'); } catch { /* the session is gone either way */ }
  setMe(null);
  navigate('/login?reason=logged_out');
}

export function appFrame(active: string, ...content: (Node | string | null)[]): HTMLElement {
  const me = currentMe();
  const free = me?.plan !== 'standard';
  const child = isChild(me);
  const link = (path: string, label: string, extra?: Node) =>
    h('li', {}, h('a', { href: path, class: active === path ? 'active' : '', 'aria-current': active === path ? 'page' : null }, label, extra ?? null));
  const nav = h('nav', { class: 'sidenav', id: 'sidenav', 'aria-label': t('nav.menu') },
    h('ul', {},
      link('/dashboard', t('nav.dashboard')),
      h('li', { class: 'nav-heading' }, t('nav.analyses')),
      ...analysisNav.map((e) => link(e.path, e.label(), e.standard && free ? h('span', { class: 'badge' }, t('nav.standard')) : undefined)),
      h('li', { class: 'nav-heading' }, ''),
      link('/report', t('nav.report')),
      link('/groups', t('nav.groups'), free ? h('span', { class: 'badge' }, t('nav.standard')) : undefined),
      link('/custom', t('nav.custom'), free ? h('span', { class: 'badge' }, t('nav.standard')) : undefined),
      child ? null : link('/users', t('nav.users'), free ? h('span', { class: 'badge' }, t('nav.standard')) : undefined),
      link('/settings', t('nav.settings')),
      child ? null : link('/plan', t('nav.plan'))));
  const menuButton = h('button', { type: 'button', class: 'menu-button', 'aria-controls': 'sidenav', 'aria-expanded': 'false',
    onclick: (e: Event) => {
      const open = nav.classList.toggle('open');
      (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
    } }, t('nav.menu'));
  return h('div', { class: 'frame app-frame' },
    h('a', { class: 'skip-link', href: '#main' }, t('skip')),
    h('header', { class: 'topbar' },
      menuButton,
      h('a', { class: 'brand', href: '/dashboard' }, t('app.name')),
      h('div', { class: 'topbar-end' },
        me ? h('span', { class: 'who', title: me.opid }, `${me.id}`,
          child ? h('span', { class: 'role-chip', 'data-role': 'child' }, t('nav.child')) : null,
          h('span', { class: `plan-chip plan-${me.plan}` }, me.plan)) : null,
        langSwitch(),
        h('button', { type: 'button', class: 'link-button', id: 'logout', onclick: () => void logout() }, t('nav.logout')))),
    h('div', { class: 'app-body' }, nav, h('main', { id: 'main', class: 'app-main' }, ...content)));
}
