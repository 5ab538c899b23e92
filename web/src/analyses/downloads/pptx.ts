// PowerPoint (PptxGenJS, loaded only when asked for): a title slide, then per analysis a slide with
// a native chart of the data (editable in PowerPoint) and the table's totals under it, then the
// whole table over as many slides as it needs.
import { t } from '../../i18n';
import type { PptxChartSpec, TableModel } from '../view';
import { type DocMeta, type DocSection, IMAGE, metaLines } from './section';

const FONT = 'Meiryo';
const ROWS_PER_SLIDE = 15;
const hex = (c: string) => c.replace('#', '').toUpperCase();

type Pres = import('pptxgenjs').default;
type Slide = import('pptxgenjs').default.Slide;

const CHART_BOX = { x: 0.5, y: 1.3, w: 12.3, h: 4.5 };

function addChart(pres: Pres, slide: Slide, spec: PptxChartSpec): void {
  const box = CHART_BOX;
  const common = { showLegend: true, legendPos: 'b' as const, legendFontFace: FONT, legendFontSize: 11,
    catAxisLabelFontFace: FONT, catAxisLabelFontSize: 9, valAxisLabelFontFace: FONT, valAxisLabelFontSize: 10 };
  const type = (p: { type: 'bar' | 'line' }) => (p.type === 'bar' ? pres.ChartType.bar : pres.ChartType.line);
  const partOptions = (p: PptxChartSpec['parts'][number]) => ({
    chartColors: p.series.map((s) => hex(s.color)),
    ...(p.type === 'bar' ? { barDir: 'col', barGrouping: p.stacked ? 'stacked' : 'clustered', ...(p.stacked ? { barOverlapPct: 100 } : {}), barGapWidthPct: 60 } : { lineSize: 2, lineDataSymbolSize: 5 }),
    ...(p.secondary ? { secondaryValAxis: true, secondaryCatAxis: true } : {}),
  });
  const data = (p: PptxChartSpec['parts'][number]) => p.series.map((s) => ({ name: s.name, labels: s.labels, values: s.values }));
  if (spec.parts.length === 1) {
    const p = spec.parts[0];
    slide.addChart(type(p), data(p), { ...box, ...common, ...partOptions(p) } as never);
    return;
  }
  const multi = spec.parts.map((p) => ({ type: type(p), data: data(p), options: partOptions(p) }));
  const secondary = spec.parts.some((p) => p.secondary);
  // A combination chart takes its options as the second argument.
  slide.addChart(multi as never, {
    ...box, ...common,
    ...(secondary ? {
      valAxes: [{ showValAxisTitle: false }, spec.percentSecondary
        ? { showValAxisTitle: true, valAxisTitle: '%', valAxisMinVal: 0, valAxisMaxVal: 100, valGridLine: { style: 'none' } }
        : { showValAxisTitle: !!spec.secondaryTitle, valAxisTitle: spec.secondaryTitle ?? '', valGridLine: { style: 'none' } }],
      catAxes: [{ catAxisTitle: '' }, { catAxisHidden: true }],
    } : {}),
  } as never, undefined as never);
}

const fontSizeFor = (cols: number) => (cols > 12 ? 7 : cols > 8 ? 9 : 11);
const headRow = (model: TableModel) => model.head.map((text) => ({ text, options: { bold: true, fill: { color: 'EEF2F6' }, align: 'center' as const } }));
const totalsRow = (totals: NonNullable<TableModel['totals']>) =>
  totals.map((c) => ({ text: c.text, options: { align: (c.value === undefined ? 'left' : 'right') as 'left' | 'right', bold: true, fill: { color: 'F5F7FA' } } as never }));
const tableStyle = (cols: number) => ({ fontSize: fontSizeFor(cols), fontFace: FONT, color: '1D2733', border: { type: 'solid' as const, pt: 0.5, color: 'D6DDE6' }, margin: 0.04 });

// Under the chart: the header and the totals row, so the slide reads on its own.
function addTotals(slide: Slide, model: TableModel): void {
  if (!model.totals) return;
  slide.addTable([headRow(model), totalsRow(model.totals)] as never, { x: 0.5, y: CHART_BOX.y + CHART_BOX.h + 0.2, w: 12.3, ...tableStyle(model.head.length) });
}

function addTable(pres: Pres, title: string, model: TableModel): void {
  const head = headRow(model);
  const body = model.rows.map((r) => r.cells.map((c) => ({ text: c.text, options: { align: (c.value === undefined ? 'left' : 'right') as 'left' | 'right' } })));
  if (model.totals) body.push(totalsRow(model.totals));
  const pages = Math.max(1, Math.ceil(body.length / ROWS_PER_SLIDE));
  for (let i = 0; i < pages; i++) {
    const slide = pres.addSlide();
    slide.addText(i === 0 ? title : t('doc.table_cont', { title }), { x: 0.5, y: 0.3, w: 12.3, h: 0.6, fontSize: 20, fontFace: FONT, bold: true, color: '1D2733' });
    const rows = [head, ...body.slice(i * ROWS_PER_SLIDE, (i + 1) * ROWS_PER_SLIDE)];
    slide.addTable(rows as never, { x: 0.5, y: 1.1, w: 12.3, ...tableStyle(model.head.length) });
  }
}

export async function buildPptx(sections: DocSection[], meta: DocMeta): Promise<Blob> {
  const { default: PptxGenJS } = await import('pptxgenjs');
  const pres = new PptxGenJS();
  pres.layout = 'LAYOUT_WIDE';
  pres.title = meta.title;
  pres.company = 'CX Support';
  pres.theme = { headFontFace: FONT, bodyFontFace: FONT };

  const cover = pres.addSlide();
  cover.addText(meta.title, { x: 0.6, y: 2.0, w: 12.1, h: 1.1, fontSize: 34, bold: true, fontFace: FONT, color: '0B5CAD' });
  const lines = [...metaLines(meta), ...(sections.length === 1 ? [`${t('doc.filters')}: ${sections[0].filters}`] : sections.map((s, i) => `${i + 1}. ${s.title} (${s.from}〜${s.to})`))];
  cover.addText(lines.map((text) => ({ text, options: { breakLine: true } })), { x: 0.6, y: 3.3, w: 12.1, h: 3.5, fontSize: 14, fontFace: FONT, color: '1D2733', valign: 'top' });

  for (const s of sections) {
    const slide = pres.addSlide();
    slide.addText(s.title, { x: 0.5, y: 0.3, w: 12.3, h: 0.6, fontSize: 22, fontFace: FONT, bold: true, color: '1D2733' });
    slide.addText(s.note ? `${s.filters}\n${s.note}` : s.filters, { x: 0.5, y: 0.85, w: 12.3, h: s.note ? 0.45 : 0.4, fontSize: s.note ? 10 : 11, fontFace: FONT, color: '5A6675' });
    if (s.pptx) addChart(pres, slide, s.pptx);
    else slide.addImage({ data: s.image, x: CHART_BOX.x + (CHART_BOX.w - CHART_BOX.h * IMAGE.width / IMAGE.height) / 2, y: CHART_BOX.y, w: CHART_BOX.h * IMAGE.width / IMAGE.height, h: CHART_BOX.h });
    addTotals(slide, s.table);
    addTable(pres, s.title, s.table);
    for (const extra of s.extras) addTable(pres, `${s.title} · ${extra.title}`, extra.model);
  }
  const out = await pres.write({ outputType: 'blob', compression: true });   // DEFLATE: the tables' XML is large
  return out instanceof Blob ? out : new Blob([out as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' });
}
