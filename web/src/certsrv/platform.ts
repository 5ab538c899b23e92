// The visitor's browser and operating system, read from navigator.userAgent, to open the import
// steps that fit (import-steps.ts). Only a guess: the page lets the visitor pick another one.

import { PLATFORMS, type Browser, type Os, type PlatformKey } from './import-steps';

export interface Detected {
  key: PlatformKey | null;   // null: not one of the combinations the page explains
  mobile: boolean;           // a phone or tablet (the page explains computers only)
}

export function detectBrowser(ua: string): Browser | null {
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'edge';
  if (/\b(Firefox|FxiOS)\//.test(ua)) return 'firefox';
  // Chrome and the browsers built on Chromium (their certificates are Chrome's); headless Chrome
  // says "HeadlessChrome/".
  if (/(Chrome|Chromium|CriOS)\//.test(ua)) return 'chrome';
  if (/\bVersion\/[\d.]+.*\bSafari\//.test(ua)) return 'safari';
  return null;
}

export function detectOs(ua: string): { os: Os | null; mobile: boolean } {
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) return { os: null, mobile: true };
  if (/\bAndroid\b/.test(ua)) return { os: null, mobile: true };
  if (/\bWindows\b/.test(ua)) return { os: 'windows', mobile: false };
  if (/\bMacintosh\b|\bMac OS X\b/.test(ua)) {
    // iPadOS asks for desktop pages as a Mac; a touch screen gives it away.
    const touch = typeof navigator !== 'undefined' && navigator.maxTouchPoints > 1;
    return touch ? { os: null, mobile: true } : { os: 'macos', mobile: false };
  }
  if (/\b(Linux|X11|CrOS)\b/.test(ua)) return { os: 'linux', mobile: false };
  return { os: null, mobile: false };
}

export function detect(ua: string = navigator.userAgent): Detected {
  const browser = detectBrowser(ua);
  const { os, mobile } = detectOs(ua);
  if (!browser || !os) return { key: null, mobile };
  const key = `${browser}-${os}` as PlatformKey;
  return { key: PLATFORMS.some((p) => p.key === key) ? key : null, mobile };
}
