// Formats shared by the account pages and the analyses.

// Numbers as people read them: 0120111222 → 0120-111-222, 08001234567 → 0800-123-4567.
export function formatAn(an: string): string {
  if (/^(0120|0570)\d{6}$/.test(an)) return `${an.slice(0, 4)}-${an.slice(4, 7)}-${an.slice(7)}`;
  if (/^0800\d{7}$/.test(an)) return `${an.slice(0, 4)}-${an.slice(4, 7)}-${an.slice(7)}`;
  return an;
}
