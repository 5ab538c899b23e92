// The generic analysis page: filter bar, applied filters, downloads, the view's headline, chart and
// table(s), for any view of the catalogue. Standard views on a free account show the upgrade offer
// without calling the server; a view without a chart, or a 501 answer, explains that it is not
// served yet.
import { h, clear } from '../dom';
import { t } from '../i18n';
import { api, ApiError } from '../api';
import { errorAlert, messageOf } from '../errors';
import { setQuery, type Page, type PageContext } from '../router';
import { appFrame } from '../layout';
import { currentMe } from '../session';
import { listGroups } from '../groups';
import { listCustom } from '../custom';
import { type AnalysisView, type Answer, type Headline, available, allowed } from './view';
import { filterBar, stateFromQuery, apiQuery, urlQuery, appliedText, fieldLabel, problems, hourRefused } from './filters';
import { learnToday } from './dates';
import { mountChart, updateChart, chartImage, renderImage, type Chart } from './chart';
import './chart-zoom';
import './chart-detailed';
import { renderTable } from './table';
import { chartOf, tableOf, customOf, hasCustomValues } from './custom-overlay';
import { planOffer, notYet, emptyState } from './states';
import { savePng } from './downloads/png';
import { saveCsv } from './downloads/csv';
import { sectionOf, docMeta, fileName } from './downloads/section';
import { saveDocument } from './downloads/report';

const whenConnected = async (el: HTMLElement) => {
  for (let i = 0; i < 100 && !el.isConnected; i++) await new Promise((r) => requestAnimationFrame(r));
};

export async function analysisPage(view: AnalysisView, ctx: PageContext): Promise<Page> {
  const me = currentMe();
  const title = view.title();
  const main = h('div', { class: 'analysis', 'data-view': view.name });
  const heading = [h('h1', {}, title), h('p', { class: 'muted lead' }, view.summary())];

  if (!allowed(view, me)) {
    return { title, element: appFrame(view.path, heading[0], planOffer(view)) };
  }
  if (!available(view)) {
    // The server answers 501 for these today: say so without asking (a failed request would be
    // a console error).
    return { title, element: appFrame(view.path, heading[0], notYet(view)) };
  }

  let disposed = false;
  let seq = 0;
  let data: Answer | null = null;
  let query = new URLSearchParams();
  let live: { chart: Chart; dispose: () => void } | null = null;

  // The account's groups for the group pickers (standard). Without them the pickers offer none;
  // the analysis itself does not depend on them.
  // The custom data sets likewise, for the custom-data picker.
  if (me?.plan === 'standard') {
    await Promise.all([
      view.filters.includes('groups') ? Promise.all([listGroups('an'), listGroups('dn')]).catch(() => null) : null,
      view.filters.includes('custom') ? listCustom().catch(() => null) : null,
    ]);
  }
  const bar = filterBar(view, stateFromQuery(view, ctx.query), me, () => void load(true));
  const applied = h('p', { id: 'applied-filters', class: 'applied small', 'aria-live': 'polite' }, t('page.loading'));
  const alerts = h('div', { class: 'alerts', 'aria-live': 'assertive' });
  const headline = h('p', { id: 'view-headline', class: 'headline hidden', 'aria-live': 'polite' });
  const chartEl = h('div', { id: 'chart', class: view.tallChart ? 'chart chart-tall' : 'chart', role: 'img', 'aria-label': t('page.chart_label', { title }) });
  const empty = emptyState(view.emptyTitle?.());
  empty.classList.add('hidden');
  const tableWrap = h('div', { class: 'table-wrap' });
  const extras = h('div', { class: 'extra-tables' });
  const status = h('span', { class: 'small muted download-status', role: 'status' });

  const downloadButton = (kind: string, labelKey: string) => h('button', {
    type: 'button', class: 'secondary', 'data-download': kind, disabled: true,
    onclick: (e: Event) => void runDownload(kind, e.currentTarget as HTMLButtonElement),
  }, t(labelKey));
  const buttons = [downloadButton('png', 'dl.png'), downloadButton('pdf', 'dl.pdf'), downloadButton('pptx', 'dl.pptx'), downloadButton('csv', 'dl.csv')];
  const toolbar = h('div', { class: 'toolbar downloads', role: 'group', 'aria-label': t('dl.title') },
    h('span', { class: 'toolbar-label' }, t('dl.title')), ...buttons, status);

  const content = h('div', { class: 'analysis-content' },
    h('div', { class: 'card' }, toolbar, headline, empty, chartEl),
    h('div', { class: 'card' }, tableWrap, extras));
  main.append(bar.form, applied, alerts, content);

  // An error in the page's language (errors.ts): `lead` says what failed, then what to do next and,
  // for a failure on the server's side, the request ID for support.
  const showError = (lead: string, error: unknown) => { clear(alerts); alerts.appendChild(errorAlert(lead, error)); };

  // The loading state: the applied-filters line dimmed and the content marked busy. Every load
  // ends it, answered or not (SPEC §19: no page is left loading after an error); a load that a
  // newer one replaced leaves it to that one.
  const loading = (on: boolean) => {
    applied.classList.toggle('loading', on);
    if (on) content.setAttribute('aria-busy', 'true'); else content.removeAttribute('aria-busy');
    // "Loading…" stays only while loading; after a failure with nothing shown yet, no line.
    if (on && !data) applied.textContent = t('page.loading');
    if (!on && !data) applied.textContent = '';
  };

  async function load(fromForm: boolean): Promise<void> {
    const s = bar.read();
    const mine = ++seq;
    clear(alerts);
    bar.markInvalid(null);
    // The link's own query is checked as given (a value the form cannot show is not dropped).
    const wrong = problems(view, fromForm ? apiQuery(view, s) : ctx.query, me);
    if (wrong.length) {
      loading(false);
      bar.markInvalid(wrong[0].field);
      clear(alerts);
      alerts.appendChild(h('div', { class: 'alert error', role: 'alert' },
        ...wrong.map((p) => h('p', {}, t('error.field', { field: fieldLabel(p.field), message: p.message })))));
      applied.textContent = '';
      return;
    }
    // The downloads keep the query of the data shown until a new answer replaces it.
    const asked = apiQuery(view, s);
    if (fromForm) setQuery(urlQuery(view, s));
    loading(true);
    let answer: Answer;
    try {
      answer = await api<Answer>('GET', `/api/analytics/${view.api}?${asked}`);
    } catch (err) {
      if (disposed || mine !== seq) return;
      loading(false);
      if (err instanceof ApiError && err.code === 'plan_required') { clear(main); main.appendChild(planOffer(view)); return; }
      if (err instanceof ApiError && err.code === 'not_implemented') { clear(main); main.appendChild(notYet(view)); return; }
      // Hours over more than 31 days (a range the page counted otherwise): days instead, with the
      // note beside the control, rather than an error (SPEC §19).
      if (hourRefused(err, asked) && bar.refuseHour()) {
        return load(fromForm);
      }
      if (err instanceof ApiError && err.code === 'invalid_parameter' && err.field) {
        // The server's detail is English whatever the language: messageOf keeps it for an English
        // page only, and a Japanese page says in its own words which condition to look at.
        bar.markInvalid(err.field);
        showError(t('error.field', { field: fieldLabel(err.field), message: messageOf(err) }), err);
      } else {
        // A number not of the account: the ANs are checked before asking, so it is a DN.
        if (err instanceof ApiError && err.field === null && err.status === 404) bar.markInvalid(asked.has('dn') ? 'dn' : asked.has('an') ? 'an' : null);
        showError(t('error.load', { message: messageOf(err) }), err);
      }
      return;
    }
    if (disposed || mine !== seq) return;
    query = asked;
    loading(false);
    if (!query.has('to')) learnToday(answer.filters.to);
    // The server applies align without naming it among the filters; the line below and the
    // documents say it (B's dates show the move).
    if (query.get('align') === 'weekday' && !answer.filters.align) answer.filters.align = 'weekday';
    data = answer;
    applied.textContent = t('flt.applied', { text: appliedText(answer.filters, customOf(answer)) });
    const requestedFrom = query.get('from');
    if (requestedFrom && answer.filters.from && answer.filters.from > requestedFrom) applied.append(' ', h('span', { class: 'muted' }, t('flt.cut')));
    // Empty date inputs show the range the server chose.
    bar.showRange(answer.filters.from ?? '', answer.filters.to ?? '');
    try {
      await render(answer);
    } catch (err) {
      // The answer came but could not be drawn (the chart's code could not be loaded, a bug).
      if (!disposed && mine === seq) showError(t('error.load', { message: messageOf(err) }), err);
    }
  }

  async function render(answer: Answer): Promise<void> {
    await whenConnected(chartEl);
    if (disposed) return;
    const isEmpty = view.isEmpty?.(answer) ?? false;
    empty.classList.toggle('hidden', !isEmpty);
    // No calls but custom data to show: the chart still draws the custom lines.
    const drawn = !isEmpty || hasCustomValues(answer);
    chartEl.classList.toggle('hidden', !drawn);
    if (drawn) {
      const option = chartOf(view, answer);
      if (!live) live = mountChart(chartEl, option);
      else { updateChart(live.chart, option); live.chart.resize(); }
    }
    showHeadline(view.headline?.(answer) ?? null);
    clear(tableWrap);
    tableWrap.appendChild(renderTable(tableOf(view, answer), t('page.table_caption', { title })));
    clear(extras);
    for (const extra of view.extraTables?.(answer) ?? []) {
      extras.append(h('h2', { class: 'table-title' }, extra.title),
        h('div', { class: 'table-wrap' }, renderTable(extra.model, extra.title, { id: extra.id, totalsId: null })));
    }
    buttons.forEach((b) => { b.disabled = false; });
  }

  function showHeadline(line: Headline | null): void {
    headline.classList.toggle('hidden', !line);
    headline.textContent = line?.text ?? '';
    for (const name of headline.getAttributeNames()) if (name.startsWith('data-')) headline.removeAttribute(name);
    for (const [k, v] of Object.entries(line?.data ?? {})) headline.setAttribute(`data-${k}`, v);
  }

  async function runDownload(kind: string, button: HTMLButtonElement): Promise<void> {
    if (!data || button.getAttribute('aria-busy') === 'true') return;
    const answer = data;
    const f = answer.filters;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    alerts.querySelector('[data-download-error]')?.remove();
    status.textContent = t('dl.working');
    try {
      if (kind === 'png') {
        // The file says what it shows once shared: title, period and conditions over the chart (SPEC §19).
        const chartDataUrl = live && !chartEl.classList.contains('hidden') ? chartImage(live.chart) : await renderImage(chartOf(view, answer));
        await savePng({
          title, period: `${f.from ?? ''}〜${f.to ?? ''}`, conditions: appliedText(f, customOf(answer), { range: false }), chartDataUrl,
          filename: fileName(view.name, f.from ?? '', f.to ?? '', 'png'),
        });
      } else if (kind === 'csv') {
        await saveCsv(view.api, query);
      } else {
        const section = await sectionOf(view, answer);
        await saveDocument(kind as 'pdf' | 'pptx', [section], docMeta(title), view.name);
      }
    } catch (e) {
      // A 401 has already sent the page to the login; anything else is said in the page's language.
      clear(alerts);
      alerts.appendChild(errorAlert(t('dl.failed', { message: messageOf(e) }), e, { 'data-download-error': kind }));
    } finally {
      status.textContent = '';
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  void load(false);
  return {
    title,
    element: appFrame(view.path, ...heading, main),
    dispose: () => { disposed = true; live?.dispose(); live = null; },
  };
}
