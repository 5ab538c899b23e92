// Client-side routes: the server answers index.html for every path without a file extension, and
// this module picks the page. A page is a function from the path's parameters to an element; it
// registers itself with `route()`. Links with data-link (and every same-origin <a>) navigate
// without a reload; the query string is part of a page's state (filters live there).

import { clear } from './dom';

export interface PageContext {
  params: Record<string, string>;   // the :name parts of the pattern
  query: URLSearchParams;           // the current query string
}

export interface Page {
  title: string;                    // the document title (already translated)
  element: HTMLElement;
  // Called when the page is replaced, to stop timers and release charts.
  dispose?: () => void;
}

export type PageFactory = (ctx: PageContext) => Promise<Page | string>;   // a string redirects

interface Route { pattern: RegExp; keys: string[]; factory: PageFactory; session: boolean }

const routes: Route[] = [];
let notFound: PageFactory | null = null;
let current: Page | null = null;
let guard: (path: string, needsSession: boolean) => Promise<string | null> = async () => null;

// `route('/signup/confirm/:token', factory, {session:false})`
export function route(path: string, factory: PageFactory, options: { session: boolean }): void {
  const keys: string[] = [];
  const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, k) => { keys.push(k); return '([^/]+)'; }) + '/?$');
  routes.push({ pattern, keys, factory, session: options.session });
}

export const setNotFound = (factory: PageFactory) => { notFound = factory; };

let errorPage: (error: unknown) => Promise<Page> = async (error) => {
  const element = document.createElement('main');
  element.textContent = String(error);
  return { title: 'Error', element };
};
export const setErrorPage = (fn: typeof errorPage) => { errorPage = fn; };

// Before a page is built: returns a path to redirect to (for example /login for a page that
// needs a session), or null to go on.
export const setGuard = (fn: typeof guard) => { guard = fn; };

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  void render();
}

// Changes the query string of the current page without building it again (filters).
export function setQuery(query: URLSearchParams): void {
  const qs = query.toString();
  history.replaceState(null, '', location.pathname + (qs ? `?${qs}` : ''));
}

let renderSeq = 0;

export async function render(): Promise<void> {
  const seq = ++renderSeq;
  const app = document.getElementById('app')!;
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  let result: Page | string;
  try {
    const redirect = await guard(path, match ? match.r.session : false);
    if (seq !== renderSeq) return;
    if (redirect && redirect !== path + location.search) { navigate(redirect, { replace: true }); return; }
    const params: Record<string, string> = {};
    // A malformed escape (a link cut in a mail) stays as it is rather than throw and leave a blank page.
    const decode = (part: string) => { try { return decodeURIComponent(part); } catch { return part; } };
    if (match) match.r.keys.forEach((k, i) => { params[k] = decode(match.m![i + 1]); });
    const factory = match ? match.r.factory : notFound;
    if (!factory) return;
    result = await factory({ params, query });
  } catch (error) {
    // A page that could not be built (the session could not be checked, its first request failed,
    // its code could not be loaded, a bug): say so, never a blank page or the previous one.
    if (seq !== renderSeq) return;
    result = await errorPage(error);
  }
  if (seq !== renderSeq) { if (typeof result !== 'string') result.dispose?.(); return; }
  if (typeof result === 'string') { navigate(result, { replace: true }); return; }
  current?.dispose?.();
  current = result;
  clear(app);
  app.appendChild(result.element);
  document.title = `${result.title} | CX Support`;
  const heading = result.element.querySelector('h1');
  if (heading) { heading.setAttribute('tabindex', '-1'); (heading as HTMLElement).focus({ preventScroll: true }); }
  window.scrollTo(0, 0);
}

export function start(): void {
  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', (event) => {
    const a = (event.target as Element | null)?.closest?.('a');
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    // A link to a place on this page (skip link, error summary): the browser scrolls, no render.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  void render();
}
