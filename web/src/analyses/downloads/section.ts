// What a document (PDF, PPTX, report) holds for one analysis: its title, the filters applied, the
// chart drawn off-screen at a fixed size, the table (and the view's extra tables), the headline in
// words, and the native-chart data for PowerPoint.
import { api } from '../../api';
import { t, lang } from '../../i18n';
import { currentMe } from '../../session';
import type { AnalysisView, Answer, ExtraTable, PptxChartSpec, TableModel } from '../view';
import { appliedText } from '../filters';
import { chartOf, docTableOf, pptxOf, customOf } from '../custom-overlay';
import { renderImage } from '../chart';
import '../chart-detailed';   // the report draws the detailed analyses' heat maps too

export const IMAGE = { width: 1100, height: 480 };

export interface DocSection {
  name: string; title: string; filters: string; from: string; to: string;
  image: string; table: TableModel; pptx: PptxChartSpec | null;
  note: string | null;            // the view's headline (e.g. the recommended number of lines)
  extras: ExtraTable[];
}

export interface DocMeta { title: string; account: string; created: string }

export async function sectionOf(view: AnalysisView, data: Answer): Promise<DocSection> {
  const image = await renderImage(chartOf(view, data), IMAGE.width, IMAGE.height);
  return {
    name: view.name, title: view.title(), filters: appliedText(data.filters, customOf(data)),
    from: data.filters.from ?? '', to: data.filters.to ?? '',
    image, table: docTableOf(view, data), pptx: pptxOf(view, data),
    note: view.headline?.(data)?.text ?? null, extras: view.extraTables?.(data) ?? [],
  };
}

export async function fetchSection(view: AnalysisView, query: URLSearchParams): Promise<DocSection> {
  const data = await api<Answer>('GET', `/api/analytics/${view.api}?${query}`);
  // The server applies align without naming it among the filters: the section says it, as the
  // comparison's page does (B's dates show the move).
  if (query.get('align') === 'weekday' && !data.filters.align) data.filters.align = 'weekday';
  return sectionOf(view, data);
}

export function docMeta(title: string): DocMeta {
  const now = new Intl.DateTimeFormat(lang() === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(new Date());
  return { title, account: currentMe()?.id ?? '', created: `${now} JST` };
}

export const fileName = (name: string, from: string, to: string, ext: string) =>
  `cxs-${name}-${from}_${to}.${ext}`;

export const metaLines = (m: DocMeta) => [`${t('doc.account')}: ${m.account}`, `${t('doc.created')}: ${m.created}`];
