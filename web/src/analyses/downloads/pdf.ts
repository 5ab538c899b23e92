// PDF (jsPDF, A4 landscape, loaded only when asked for): per analysis a page with the title, the
// account, the filters applied and the chart, then its table over as many pages as it needs (the
// header repeated). All text is set in IPAGothic, embedded (subset) with Identity-H so Japanese
// renders and can be copied.
import { t } from '../../i18n';
import type { TableModel } from '../view';
import { type DocMeta, type DocSection, IMAGE, metaLines } from './section';

const PAGE = { w: 297, h: 210, margin: 12 };
const PT = 0.3528;   // mm per point

let fontBase64: Promise<string> | null = null;
function loadFont(): Promise<string> {
  fontBase64 ??= fetch('/fonts/ipag.ttf').then(async (r) => {
    if (!r.ok) throw new Error(`font: HTTP ${r.status}`);
    const blob = await r.blob();
    return new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }).catch((e) => { fontBase64 = null; throw e; });
  return fontBase64;
}

type Doc = import('jspdf').jsPDF;

function drawTable(doc: Doc, title: string, model: TableModel, startY: number): void {
  const width = PAGE.w - 2 * PAGE.margin;
  const all = [model.head, ...model.rows.map((r) => r.cells.map((c) => c.text)), ...(model.totals ? [model.totals.map((c) => c.text)] : [])];
  const cols = model.head.length;
  // The largest font (≤ 9 pt) at which every column fits the page width.
  let size = 9;
  let widths: number[] = [];
  for (; size >= 4.5; size -= 0.5) {
    doc.setFontSize(size);
    widths = Array.from({ length: cols }, (_, i) => Math.max(...all.map((row) => doc.getTextWidth(row[i] ?? ''))) + 2.4);
    if (widths.reduce((a, b) => a + b, 0) <= width) break;
  }
  const total = widths.reduce((a, b) => a + b, 0);
  const scale = total < width ? Math.min(width / total, 1.6) : width / total;
  widths = widths.map((w) => w * scale);
  const rowH = size * PT * 1.75;
  const bottom = PAGE.h - PAGE.margin - 6;
  let y = startY;

  const row = (cells: string[], kind: 'head' | 'body' | 'total', numeric: boolean[]) => {
    if (kind !== 'body') { doc.setFillColor(kind === 'head' ? 238 : 245, kind === 'head' ? 242 : 247, kind === 'head' ? 246 : 250); doc.rect(PAGE.margin, y, widths.reduce((a, b) => a + b, 0), rowH, 'F'); }
    let x = PAGE.margin;
    cells.forEach((text, i) => {
      const right = numeric[i];
      doc.text(text, right ? x + widths[i] - 1.2 : x + 1.2, y + rowH * 0.68, { align: right ? 'right' : 'left' });
      x += widths[i];
    });
    doc.setDrawColor(214, 221, 230);
    doc.line(PAGE.margin, y + rowH, x, y + rowH);
    y += rowH;
  };
  const numericCols = (model.rows[0]?.cells ?? model.totals ?? []).map((c) => c.value !== undefined);
  const head = () => { doc.setFontSize(size); row(model.head, 'head', numericCols); };

  doc.setFontSize(size);
  head();
  const rows: { cells: string[]; numeric: boolean[]; kind: 'body' | 'total' }[] = model.rows.map((r) =>
    ({ cells: r.cells.map((c) => c.text), numeric: r.cells.map((c) => c.value !== undefined), kind: 'body' }));
  if (model.totals) rows.push({ cells: model.totals.map((c) => c.text), numeric: model.totals.map((c) => c.value !== undefined), kind: 'total' });
  for (const r of rows) {
    if (y + rowH > bottom) {
      doc.addPage();
      y = PAGE.margin;
      doc.setFontSize(11);
      doc.text(t('doc.table_cont', { title }), PAGE.margin, y + 5);
      y += 9;
      head();
    }
    row(r.cells, r.kind, r.numeric);
  }
}

function section(doc: Doc, s: DocSection, meta: DocMeta, first: boolean): void {
  if (!first) doc.addPage();
  let y = PAGE.margin + 6;
  doc.setFontSize(18);
  doc.text(s.title, PAGE.margin, y);
  y += 8;
  doc.setFontSize(10);
  for (const line of [...metaLines(meta), `${t('doc.filters')}: ${s.filters}`, ...(s.note ? [s.note] : [])]) {
    const wrapped = doc.splitTextToSize(line, PAGE.w - 2 * PAGE.margin) as string[];
    doc.text(wrapped, PAGE.margin, y);
    y += 5 * wrapped.length;
  }
  y += 2;
  const w = PAGE.w - 2 * PAGE.margin;
  const hImg = Math.min(w * IMAGE.height / IMAGE.width, PAGE.h - PAGE.margin - y - 4);
  doc.addImage(s.image, 'PNG', PAGE.margin + (w - hImg * IMAGE.width / IMAGE.height) / 2, y, hImg * IMAGE.width / IMAGE.height, hImg);
  doc.addPage();
  doc.setFontSize(12);
  doc.text(s.title, PAGE.margin, PAGE.margin + 5);
  drawTable(doc, s.title, s.table, PAGE.margin + 9);
  for (const extra of s.extras) {
    doc.addPage();
    doc.setFontSize(12);
    doc.text(`${s.title} · ${extra.title}`, PAGE.margin, PAGE.margin + 5);
    drawTable(doc, `${s.title} · ${extra.title}`, extra.model, PAGE.margin + 9);
  }
}

export async function buildPdf(sections: DocSection[], meta: DocMeta): Promise<Blob> {
  const [{ jsPDF }, font] = await Promise.all([import('jspdf'), loadFont()]);
  const doc = new jsPDF({ orientation: 'landscape', unit: 'mm', format: 'a4', compress: true });
  doc.addFileToVFS('ipag.ttf', font);
  doc.addFont('ipag.ttf', 'IPAGothic', 'normal', 'Identity-H');
  doc.setFont('IPAGothic', 'normal');
  doc.setProperties({ title: meta.title, creator: 'CX Support' });
  doc.setTextColor(29, 39, 51);
  const cover = sections.length > 1;
  if (cover) {
    doc.setFontSize(24);
    doc.text(meta.title, PAGE.margin, 50);
    doc.setFontSize(12);
    metaLines(meta).forEach((line, i) => doc.text(line, PAGE.margin, 64 + i * 7));
    sections.forEach((s, i) => doc.text(`${i + 1}. ${s.title}  (${s.from}〜${s.to})`, PAGE.margin + 4, 88 + i * 7));
  }
  sections.forEach((s, i) => section(doc, s, meta, i === 0 && !cover));
  const pages = doc.getNumberOfPages();
  for (let p = 1; p <= pages; p++) {
    doc.setPage(p);
    doc.setFontSize(8);
    doc.setTextColor(90, 102, 117);
    doc.text(`${meta.title.includes('CX Support') ? meta.title : `CX Support · ${meta.title}`} · ${t('doc.page', { n: p, total: pages })}`, PAGE.w - PAGE.margin, PAGE.h - 6, { align: 'right' });
  }
  return doc.output('blob');
}
