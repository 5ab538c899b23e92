// The explained states a view can be in besides showing data: the upgrade offer (#plan-offer, a
// standard analysis on a free account, or any plan_required answer), "coming soon" (#not-yet, a view
// without a chart yet or any 501 not_implemented answer), and the empty state (#empty-state).
import { h } from '../dom';
import { t } from '../i18n';
import type { AnalysisView } from './view';

export function planOffer(view: AnalysisView): HTMLElement {
  return h('section', { id: 'plan-offer', class: 'card plan-offer', 'aria-labelledby': 'plan-offer-title' },
    h('h2', { id: 'plan-offer-title' }, t('offer.title'), ' ', h('span', { class: 'badge' }, t('flt.standard_badge'))),
    h('p', {}, view.summary()),
    h('p', {}, t('offer.body', { title: view.title() })),
    h('p', { class: 'muted small' }, t('offer.more')),
    h('p', {}, h('a', { class: 'button', href: '/plan?need=standard', id: 'plan-offer-link' }, t('offer.button'))));
}

export function notYet(view: AnalysisView): HTMLElement {
  return h('section', { id: 'not-yet', class: 'card not-yet', 'aria-labelledby': 'not-yet-title' },
    h('h2', { id: 'not-yet-title' }, t('notyet.title')),
    h('p', {}, view.summary()),
    h('p', {}, t('notyet.body', { title: view.title() })),
    h('p', {}, h('a', { href: '/analytics/traffic' }, t('notyet.link'))));
}

export function emptyState(title = t('empty.title')): HTMLElement {
  return h('div', { id: 'empty-state', class: 'empty', role: 'status' },
    h('p', { class: 'empty-title' }, title),
    h('p', { class: 'small' }, t('empty.body')));
}
