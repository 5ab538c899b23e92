// The text band over a PNG download, laid out without a canvas (pure: the caller measures text),
// so the wrapping can be checked on its own. Lines break at a space when one is far enough along
// (English words, the " / " between conditions), else between any two characters (Japanese has no
// spaces).

export type TextKind = 'title' | 'body';
export type Measure = (text: string, kind: TextKind) => number;

export interface HeaderStyle {
  width: number;                          // the image's width, in pixels
  padding: number;                        // around the text
  titleSize: number; bodySize: number;    // font sizes, in pixels
  lineHeight: number;                     // a line's height as a multiple of its font size
}

// y: the top of the line (drawn with textBaseline 'top').
export interface HeaderLine { text: string; kind: TextKind; x: number; y: number }
export interface HeaderLayout { lines: HeaderLine[]; height: number }

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

// The most leading characters that fit in `width` (at least one, so a line always moves on).
function longestFit(chars: string[], width: number, measure: (s: string) => number): number {
  let lo = 1, hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('')) <= width) lo = mid; else hi = mid - 1;
  }
  return lo;
}

// A space to end a line at: not the one before a " / " separator (the next line would start with it).
const breakable = (chars: string[], i: number) => isSpace(chars[i]) && chars[i + 1] !== '/';

// Where to end a line whose first `fit` characters fit: at a space in its second half if there
// is one (a word is not cut), else after `fit` characters.
function breakAt(chars: string[], fit: number): number {
  if (breakable(chars, fit)) return fit;
  for (let i = fit - 1; i > fit / 2; i--) if (breakable(chars, i)) return i;
  return fit;
}

// `text` as lines no wider than `width` (a single character wider than that stands alone).
export function wrapText(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let rest = Array.from(text.trim());     // characters, not UTF-16 halves
  while (rest.length) {
    const all = rest.join('');
    if (measure(all) <= width) { lines.push(all); break; }
    const cut = breakAt(rest, longestFit(rest, width, measure));
    lines.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (isSpace(rest[0])) rest = rest.slice(1);
  }
  return lines;
}

// The title, then each line of `body` (period, conditions), wrapped to the image's width; `height`
// is the band's height, padding included.
export function headerLayout(text: { title: string; body: string[] }, style: HeaderStyle, measure: Measure): HeaderLayout {
  const inner = Math.max(1, style.width - 2 * style.padding);
  const lines: HeaderLine[] = [];
  let y = style.padding;
  const put = (value: string, kind: TextKind) => {
    const size = kind === 'title' ? style.titleSize : style.bodySize;
    for (const line of wrapText(value, inner, (s) => measure(s, kind))) {
      lines.push({ text: line, kind, x: style.padding, y });
      y += size * style.lineHeight;
    }
  };
  put(text.title, 'title');
  for (const line of text.body) put(line, 'body');
  return { lines, height: Math.ceil(y + style.padding) };
}
