// How the /ops page writes figures: English number formats, byte sizes, rates, and times in JST
// (the service's time zone, whatever the operator's browser says).

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const count = (n: number) => whole.format(n);
export const rate = (n: number) => decimal.format(n);

export function bytes(n: number): string {
  if (n < 1024) return `${whole.format(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  return `${oneDecimal.format(v)} ${units[u]}`;
}

export const ms = (n: number) => `${decimal.format(n)} ms`;

const jst = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

// 2026-11-20 12:00:05 JST
export function jstDateTime(when: Date | string): string {
  const d = typeof when === 'string' ? new Date(when) : when;
  if (Number.isNaN(d.getTime())) return String(when);
  const p = Object.fromEntries(jst.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} JST`;
}

export const jstTime = (d: Date) => jstDateTime(d).slice(11);
