// One document of several analyses (the report page) or of one (a view's PDF/PPTX button).
import { saveBlob } from '../../api';
import type { AnalysisView } from '../view';
import { errorSentence } from '../../errors';
import { type DocSection, type DocMeta, fileName } from './section';

export type DocKind = 'pdf' | 'pptx';

export async function buildDocument(kind: DocKind, sections: DocSection[], meta: DocMeta): Promise<Blob> {
  if (kind === 'pdf') return (await import('./pdf')).buildPdf(sections, meta);
  return (await import('./pptx')).buildPptx(sections, meta);
}

export async function saveDocument(kind: DocKind, sections: DocSection[], meta: DocMeta, name: string): Promise<void> {
  const blob = await buildDocument(kind, sections, meta);
  const from = sections.map((s) => s.from).sort()[0] ?? '';
  const to = sections.map((s) => s.to).sort().pop() ?? '';
  saveBlob(blob, fileName(name, from, to, kind));
}

// The sections of several analyses, made in turn by `sectionOf` (which fetches each with its own
// query); failures are reported per analysis and left out.
export async function reportSections(views: AnalysisView[], sectionOf: (view: AnalysisView) => Promise<DocSection>):
  Promise<{ sections: DocSection[]; skipped: { view: AnalysisView; reason: string }[] }> {
  const sections: DocSection[] = [];
  const skipped: { view: AnalysisView; reason: string }[] = [];
  for (const view of views) {
    try { sections.push(await sectionOf(view)); }
    // The reason in the page's language (never a script's English or a bare status), with the
    // request ID of a server failure.
    catch (e) { skipped.push({ view, reason: errorSentence(e) }); }
  }
  return { sections, skipped };
}
