// The text band of PNG downloads (SPEC §19), laid out by a pure function
// (web/src/analyses/downloads/png-header.ts): compiled here with the web's own TypeScript and run
// without a server or a browser. Text is measured at 10 px a character, so widths are plain to
// read. Skipped when web/node_modules is not installed.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SOURCE } from './harness.mjs';

const TYPESCRIPT = join(SOURCE, 'web/node_modules/typescript/lib/typescript.js');
const MODULE = join(SOURCE, 'web/src/analyses/downloads/png-header.ts');

let m = null;
before(async () => {
  if (!existsSync(TYPESCRIPT)) return;
  const { default: ts } = await import(pathToFileURL(TYPESCRIPT).href);
  const js = ts.transpileModule(readFileSync(MODULE, 'utf8'),
    { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  m = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);
});

const per10 = (s) => Array.from(s).length * 10;
const needsModule = (t) => { if (!m) t.skip('web/node_modules is not installed'); return !m; };

test('English wraps between words, never inside one', (t) => {
  if (needsModule(t)) return;
  assert.deepEqual(m.wrapText('the quick brown fox jumps', 100, per10), ['the quick', 'brown fox', 'jumps']);
  assert.deepEqual(m.wrapText('  short  ', 100, per10), ['short']);
  assert.deepEqual(m.wrapText('', 100, per10), []);
});

test('Japanese without spaces wraps between any two characters; a character wider than the line stands alone', (t) => {
  if (needsModule(t)) return;
  assert.deepEqual(m.wrapText('あいうえおかきくけこさしす', 50, per10), ['あいうえお', 'かきくけこ', 'さしす']);
  assert.deepEqual(m.wrapText('ab', 5, per10), ['a', 'b']);
  // Characters beyond the BMP are not split in halves.
  assert.deepEqual(m.wrapText('𠮷𠮷𠮷', 20, per10), ['𠮷𠮷', '𠮷']);
});

test('conditions: every line fits, nothing is lost, and lines end after a " / " rather than start with one', (t) => {
  if (needsModule(t)) return;
  const text = '条件: 2026-01-01〜2026-03-31 / 0120-222-333, 0800-123-4567 / 月・水 / 9時〜18時 / 集計単位: 日';
  for (const width of [60, 120, 200, 330, 1000]) {
    const lines = m.wrapText(text, width, per10);
    for (const line of lines) {
      assert.ok(per10(line) <= width, `${width}: "${line}" fits`);
      assert.equal(line, line.trim(), `${width}: no space at either end of "${line}"`);
    }
    assert.equal(lines.join('').replace(/\s/g, ''), text.replace(/\s/g, ''), `${width}: every character kept, in order`);
  }
  const at330 = m.wrapText(text, 330, per10);
  assert.deepEqual(at330, ['条件: 2026-01-01〜2026-03-31 /', '0120-222-333, 0800-123-4567 /', '月・水 / 9時〜18時 / 集計単位: 日']);
});

test('the band: title first, then the body lines, wrapped to the image width; its height holds them all', (t) => {
  if (needsModule(t)) return;
  const style = { width: 300, padding: 20, titleSize: 30, bodySize: 20, lineHeight: 1.5 };
  const measure = (s, kind) => per10(s) * (kind === 'title' ? 2 : 1);
  const band = m.headerLayout({ title: '直近3ヶ月トラフィックの分析結果', body: ['期間: 2026-01-01〜2026-01-31', '条件: すべての番号 / 月・水 / 終日'] }, style, measure);
  assert.equal(band.lines[0].kind, 'title');
  assert.equal(band.lines[0].y, style.padding);
  assert.deepEqual([...new Set(band.lines.map((l) => l.kind))], ['title', 'body']);
  assert.ok(band.lines.filter((l) => l.kind === 'title').length >= 2, 'the title (16 characters of 20 px) wraps at 260 px');
  for (const line of band.lines) {
    assert.equal(line.x, style.padding);
    assert.ok(measure(line.text, line.kind) <= style.width - 2 * style.padding, `"${line.text}" fits`);
  }
  for (let i = 1; i < band.lines.length; i++) assert.ok(band.lines[i].y > band.lines[i - 1].y, 'lines go down the band');
  const last = band.lines.at(-1);
  assert.equal(band.height, Math.ceil(last.y + style.bodySize * style.lineHeight + style.padding));
  assert.ok(band.lines.map((l) => l.text).join('').includes('月・水'));
  // An empty body line takes no room.
  const bare = m.headerLayout({ title: 'A', body: [''] }, style, measure);
  assert.equal(bare.lines.length, 1);
  assert.equal(bare.height, Math.ceil(style.padding + style.titleSize * style.lineHeight + style.padding));
});
