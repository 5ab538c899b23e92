// /report: several analyses in one PDF or one PowerPoint file. Each chosen analysis is fetched with
// its default filters, or with one range shared by all; its chart is drawn off-screen at a fixed
// size for the document.
import { h, clear, uid } from '../dom';
import { t } from '../i18n';
import type { Page } from '../router';
import { appFrame } from '../layout';
import { currentMe } from '../session';
import { catalog } from './catalog';
import { available, allowed } from './view';
import { docMeta } from './downloads/section';
import { reportSections, saveDocument, type DocKind } from './downloads/report';

export async function reportPage(): Promise<Page> {
  const me = currentMe();
  const title = t('rep.title');
  const ids = { from: uid('rfrom'), to: uid('rto') };
  const status = h('div', { id: 'report-status', 'aria-live': 'polite' });

  // Analyses that can go into a report are choices; the others are listed with why not.
  const items = catalog.map((v) => (available(v) && allowed(v, me)
    ? h('label', {}, h('input', { type: 'checkbox', name: 'report-item', value: v.name }), v.title())
    : h('span', { class: 'disabled' }, v.title(), ' ',
      h('span', { class: 'badge' }, !allowed(v, me) ? t('flt.standard_badge') : t('flt.soon_badge')))));
  const fromInput = h('input', { type: 'date', name: 'from', id: ids.from });
  const toInput = h('input', { type: 'date', name: 'to', id: ids.to });
  const pdfButton = h('button', { type: 'button', id: 'report-pdf', onclick: () => void make('pdf') }, t('rep.pdf'));
  const pptxButton = h('button', { type: 'button', id: 'report-pptx', class: 'secondary', onclick: () => void make('pptx') }, t('rep.pptx'));
  const form = h('form', { id: 'report-form', class: 'card', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('rep.items')), h('div', { class: 'choices report-items' }, ...items)),
    h('fieldset', {}, h('legend', {}, t('rep.range')),
      h('div', { class: 'filters' },
        h('div', { class: 'field' }, h('label', { for: ids.from }, t('flt.from')), fromInput),
        h('div', { class: 'field' }, h('label', { for: ids.to }, t('flt.to')), toInput)),
      h('p', { class: 'hint' }, t('rep.range_hint'))),
    h('div', { class: 'actions' }, pdfButton, pptxButton));
  form.addEventListener('submit', (e) => { e.preventDefault(); void make('pdf'); });

  const say = (cls: string, ...lines: string[]) => {
    clear(status);
    status.appendChild(h('div', { class: `alert ${cls}`, role: cls === 'error' ? 'alert' : 'status' }, ...lines.map((l) => h('p', {}, l))));
  };

  async function make(kind: DocKind): Promise<void> {
    const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="report-item"]:checked')]
      .map((i) => catalog.find((v) => v.name === i.value)!).filter(Boolean);
    if (!chosen.length) { say('error', t('rep.none')); return; }
    pdfButton.disabled = pptxButton.disabled = true;
    say('info', t('dl.working'));
    try {
      const work = chosen.map((view) => {
        const q = new URLSearchParams(view.fixedQuery ?? {});
        if (fromInput.value) q.set('from', fromInput.value);
        if (toInput.value) q.set('to', toInput.value);
        return { view, query: q };
      });
      const { sections, skipped } = await reportSections(work);
      const notes = skipped.map((s) => t('rep.skipped', { title: s.view.title(), reason: s.reason }));
      if (!sections.length) { say('error', ...notes); return; }
      await saveDocument(kind, sections, docMeta(t('doc.report')), 'report');
      say(skipped.length ? 'warn' : 'ok', t('rep.done', { n: sections.length }), ...notes);
    } catch (e) {
      say('error', t('dl.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      pdfButton.disabled = pptxButton.disabled = false;
    }
  }

  return { title, element: appFrame('/report', h('h1', {}, title), h('p', { class: 'muted' }, t('rep.intro')), form, status) };
}
