// PNG download: the chart (as the page shows it, or drawn off-screen) at twice its pixel size, on
// white, under a band that says what it shows — the analysis title, the period and the conditions
// applied, in the page's language (SPEC §19: a shared image explains itself). The chart is a data:
// URL, which the CSP's img-src allows; the band is laid out by png-header.ts.
import { saveBlob } from '../../api';
import { t } from '../../i18n';
import { headerLayout, type TextKind } from './png-header';

// At the charts' pixel ratio (2): an 18 px title and 13 px lines as on screen.
const STYLE = { padding: 32, titleSize: 36, bodySize: 26, lineHeight: 1.5 };
const INK = { title: '#1d2733', body: '#5a6675', rule: '#d6dde6' };

export interface PngContent { title: string; period: string; conditions: string; chartDataUrl: string; filename: string }

export async function savePng(c: PngContent): Promise<void> {
  const chart = new Image();
  chart.src = c.chartDataUrl;
  await chart.decode();
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2d');
  // The page's own font stack (styles.css), so Japanese is drawn with the font the page shows.
  const family = getComputedStyle(document.documentElement).fontFamily || 'sans-serif';
  const font = (kind: TextKind) => `${kind === 'title' ? 700 : 400} ${kind === 'title' ? STYLE.titleSize : STYLE.bodySize}px ${family}`;
  const measure = (text: string, kind: TextKind) => { ctx.font = font(kind); return ctx.measureText(text).width; };
  const band = headerLayout({ title: c.title, body: [`${t('doc.period')}: ${c.period}`, `${t('doc.filters')}: ${c.conditions}`] },
    { ...STYLE, width: chart.naturalWidth }, measure);

  canvas.width = chart.naturalWidth;        // resets the context (font included): everything is set below
  canvas.height = band.height + chart.naturalHeight;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'top';
  for (const line of band.lines) {
    ctx.font = font(line.kind);
    ctx.fillStyle = INK[line.kind];
    ctx.fillText(line.text, line.x, line.y);
  }
  ctx.fillStyle = INK.rule;
  ctx.fillRect(STYLE.padding, band.height - 2, canvas.width - 2 * STYLE.padding, 2);
  ctx.drawImage(chart, 0, band.height);
  saveBlob(await pngOf(canvas), c.filename);
}

const pngOf = (canvas: HTMLCanvasElement) => new Promise<Blob>((resolve, reject) =>
  canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG'))), 'image/png'));
