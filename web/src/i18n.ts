// Japanese first, English on request. The choice is kept in localStorage (it is no secret) and
// sent to the server as Accept-Language, so server messages come in the same language.
// Pages and views register their own texts with `texts({ja:{…}, en:{…}})` beside their code.

export type Lang = 'ja' | 'en';
type Dict = Record<string, string>;

const dictionaries: Record<Lang, Dict> = { ja: {}, en: {} };

export function texts(add: { ja: Dict; en: Dict }): void {
  Object.assign(dictionaries.ja, add.ja);
  Object.assign(dictionaries.en, add.en);
}

// The language: a `?lang=` in the URL (kept from then on, so a shared link opens in its
// language), else the choice made with the switch, else the browser's first preferred language
// when it is English (as the server reads Accept-Language), else Japanese.
function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'ja') {
    localStorage.setItem('cxs.lang', fromUrl);
    return fromUrl;
  }
  const stored = localStorage.getItem('cxs.lang');
  if (stored === 'en' || stored === 'ja') return stored;
  return /^en\b/i.test(navigator.languages?.[0] ?? navigator.language ?? '') ? 'en' : 'ja';
}

let current: Lang = initialLang();
// index.html says lang="ja"; a page shown in English from the start must say so (screen readers).
document.documentElement.lang = current;

export const lang = (): Lang => current;

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem('cxs.lang', next);
  document.documentElement.lang = next;
}

// The text for key in the current language; {name} placeholders are filled from vars.
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? dictionaries.ja[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

// Numbers and dates as the reader expects them.
export const formatNumber = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined ? '—' : n.toLocaleString(current === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const formatPercent = (fraction: number | null | undefined): string =>
  fraction === null || fraction === undefined ? '—' : `${(fraction * 100).toFixed(1)}%`;
