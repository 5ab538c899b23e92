// /report: several analyses in one PDF or one PowerPoint file, made with one set of conditions —
// the filter bar of the analysis pages: range, buckets, ANs, weekdays, time band, the comparison's
// range B (its dates, ANs and weekday alignment), and on the standard plan groups, receiving
// numbers, custom data and the blocking target of the lines view (SPEC §19: the report takes every
// filter). Each analysis receives the conditions it takes (B only the comparison, the target only
// the lines view), its section says which were applied, and its chart is drawn off-screen at a
// fixed size for the document.
import { h, clear, uid } from '../dom';
import { t } from '../i18n';
import type { Page } from '../router';
import { appFrame } from '../layout';
import { currentMe } from '../session';
import { listGroups } from '../groups';
import { listCustom } from '../custom';
import { catalog } from './catalog';
import { type AnalysisView, type Granularity, available, allowed } from './view';
import { filterBar, stateFromQuery, apiQuery, problems, fieldLabel, hourRefused, hourlyTooLongB, type FilterSpec, type FilterState } from './filters';
import { docMeta, fetchSection, type DocSection } from './downloads/section';
import { reportSections, saveDocument, type DocKind } from './downloads/report';
import { errorAlert, messageOf } from '../errors';

// The filters the analyses share. 'each': without dates every analysis keeps its own default
// range; buckets 'auto' (the first) likewise keep each analysis's own. Range B left empty is the
// server's default, as on the comparison's page (the range of A's length just before A); the bar
// shows the target to a standard account only (filterBar).
const SHARED: FilterSpec = {
  filters: ['range', 'granularity', 'gos', 'compare', 'an', 'weekday', 'hours', 'groups', 'dn', 'custom'],
  granularities: ['auto', 'day', 'hour', 'month'], defaultPreset: 'each', plan: 'free',
};

// The shared conditions as one analysis takes them: buckets it does not offer ('auto', or months
// for recent traffic) are its own default. Filters it does not take are left out by apiQuery.
const stateFor = (view: AnalysisView, s: FilterState): FilterState =>
  (view.granularities.includes(s.granularity as Granularity) ? s : { ...s, granularity: view.granularities[0] ?? '' });
const queryOf = (view: AnalysisView, s: FilterState) => apiQuery(view, stateFor(view, s));
const daysOf = (view: AnalysisView) => (view.granularities.includes('day') ? 'day' : view.granularities[0] ?? '');

export async function reportPage(): Promise<Page> {
  const me = currentMe();
  const title = t('rep.title');
  const status = h('div', { id: 'report-status', 'aria-live': 'polite' });

  // The account's groups and custom data sets for their pickers (standard), as the analysis pages
  // fetch them; without them the pickers offer none.
  if (me?.plan === 'standard') {
    await Promise.all([Promise.all([listGroups('an'), listGroups('dn')]).catch(() => null), listCustom().catch(() => null)]);
  }

  // Analyses that can go into a report are choices; the others are listed with why not.
  const items = catalog.map((v) => (available(v) && allowed(v, me)
    ? h('label', {}, h('input', { type: 'checkbox', name: 'report-item', value: v.name }), v.title())
    : h('span', { class: 'disabled' }, v.title(), ' ',
      h('span', { class: 'badge' }, !allowed(v, me) ? t('flt.standard_badge') : t('flt.soon_badge')))));
  const form = h('form', { id: 'report-form', class: 'card', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('rep.items')), h('div', { class: 'choices report-items' }, ...items)));
  form.addEventListener('submit', (e) => { e.preventDefault(); void make('pdf'); });

  const bar = filterBar(SHARED, stateFromQuery(SHARED, new URLSearchParams()), me, () => void make('pdf'), { apply: false });
  const filtersId = uid('rep-filters');
  const filters = h('section', { class: 'report-filters', 'aria-labelledby': filtersId },
    h('h2', { id: filtersId }, t('rep.filters')), h('p', { class: 'hint' }, t('rep.filters_hint')), bar.form);

  const pdfButton = h('button', { type: 'button', id: 'report-pdf', onclick: () => void make('pdf') }, t('rep.pdf'));
  const pptxButton = h('button', { type: 'button', id: 'report-pptx', class: 'secondary', onclick: () => void make('pptx') }, t('rep.pptx'));

  const say = (cls: string, ...lines: string[]) => {
    clear(status);
    status.appendChild(h('div', { class: `alert ${cls}`, role: cls === 'error' ? 'alert' : 'status' }, ...lines.map((l) => h('p', {}, l))));
  };

  async function make(kind: DocKind): Promise<void> {
    const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="report-item"]:checked')]
      .map((i) => catalog.find((v) => v.name === i.value)!).filter(Boolean);
    if (!chosen.length) { say('error', t('rep.none')); return; }
    const s = bar.read();
    // Checked before asking, as the pages do (one message per problem, however many analyses share it).
    bar.markInvalid(null);
    const wrong = chosen.flatMap((view) => problems(view, queryOf(view, s), me));
    if (wrong.length) {
      bar.markInvalid(wrong[0].field);
      say('error', ...new Set(wrong.map((p) => t('error.field', { field: fieldLabel(p.field), message: p.message }))));
      return;
    }
    if (status.getAttribute('aria-busy') === 'true') return;
    pdfButton.disabled = pptxButton.disabled = true;
    status.setAttribute('aria-busy', 'true');
    say('info', t('dl.working'));
    const byDay: AnalysisView[] = [];
    const byDays = (view: AnalysisView) => {
      byDay.push(view);
      return fetchSection(view, queryOf(view, { ...s, granularity: daysOf(view) }));
    };
    // Hours the server refuses all the same (more than 31 days as it counts them): that analysis by
    // day, as the pages switch to days, and said below. A range B over 31 days is the comparison's
    // alone (the bar keeps hours for the others): by day at once, as its page does.
    const sectionFor = async (view: AnalysisView): Promise<DocSection> => {
      const q = queryOf(view, s);
      if (q.get('granularity') === 'hour' && view.filters.includes('compare') && hourlyTooLongB(s.bFrom, s.bTo)) return byDays(view);
      try {
        return await fetchSection(view, q);
      } catch (e) {
        if (!hourRefused(e, q)) throw e;
        return byDays(view);
      }
    };
    try {
      const { sections, skipped } = await reportSections(chosen, sectionFor);
      const notes = [...byDay.map((v) => t('rep.hour_days', { title: v.title() })),
        ...skipped.map((x) => t('rep.skipped', { title: x.view.title(), reason: x.reason }))];
      if (!sections.length) { say('error', ...notes); return; }
      await saveDocument(kind, sections, docMeta(t('doc.report')), 'report');
      say(skipped.length ? 'warn' : 'ok', t('rep.done', { n: sections.length }), ...notes);
    } catch (e) {
      // In the page's language, with what to do next and the request ID of a server failure.
      clear(status);
      status.appendChild(errorAlert(t('dl.failed', { message: messageOf(e) }), e));
    } finally {
      pdfButton.disabled = pptxButton.disabled = false;
      status.removeAttribute('aria-busy');
    }
  }

  return {
    title,
    element: appFrame('/report', h('h1', {}, title), h('p', { class: 'muted' }, t('rep.intro')), form, filters,
      h('div', { class: 'actions report-actions' }, pdfButton, pptxButton), status),
  };
}
