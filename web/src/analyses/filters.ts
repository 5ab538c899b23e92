// The filter bar every analysis shares (form#filters). Its state lives in the URL query under the
// API's own parameter names (from, to, an, weekday, hours, granularity, b_from, b_to, b_an, dn,
// an_group, dn_group, gos, custom, align), plus `preset` for a relative range (直近7日 stays "the last 7
// days" when the link is opened later).
import { h, uid } from '../dom';
import { t } from '../i18n';
import { ApiError } from '../api';
import { currentMe, type Me } from '../session';
import { knownGroups, groupName, isGroupId, type GroupKind } from '../groups';
import { knownCustom, isCustomId } from '../custom';
import type { AnalysisView, Applied } from './view';
import { PRESETS, presetRange, today, monthsBack, firstOfMonth, daysBetween, monthLabel } from './dates';
import { formatAn, gosText } from './format';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// Blocking targets offered by the lines view (SPEC §15: 0 < gos < 1, default 0.01).
export const GOS_CHOICES = ['0.001', '0.005', '0.01', '0.02', '0.05'];
export const DEFAULT_GOS = '0.01';
// Ranges that fit in the detailed data's 3 months (longer ones would only be cut).
const DETAILED_PRESETS: string[] = ['this_month', 'last_month', 'last_7', 'last_30', 'last_3m'];
// Hour buckets cover at most this many days of the applied range (SPEC §19: the server answers 400
// beyond, and its default hourly range is the 31 days ending at `to`).
export const MAX_HOURLY_DAYS = 31;

// What the filter bar reads of a view. The report page makes one for all its analyses, with
// defaultPreset 'each': every analysis keeps its own default range, and granularity 'auto' its own
// default buckets.
export type FilterSpec = Pick<AnalysisView, 'filters' | 'granularities' | 'defaultPreset' | 'plan'>;

export interface FilterState {
  preset: string;            // '' = the view's default range (nothing sent), 'custom', or a preset name
  from: string; to: string;
  an: string[]; weekday: string[];
  hoursFrom: string; hoursTo: string;
  granularity: string;
  bFrom: string; bTo: string; bAn: string[];
  dn: string;                // as typed: a comma list of DNs, hyphens allowed
  anGroup: string[]; dnGroup: string[];   // group IDs (standard): the union of their members
  gos: string;               // '' = the server's default
  custom: string[];          // custom data set IDs (standard): drawn over the analysis
  align: string;             // compare: 'weekday' = B starts on A's weekday (day buckets only); '' = by date
}

const list = (q: URLSearchParams, name: string) =>
  q.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
const digits = (an: string) => an.replace(/-/g, '');
const dnList = (text: string) => text.split(/[,\s、，]+/).map((v) => v.trim()).filter(Boolean);
const isGos = (v: string) => /^0?\.\d+$/.test(v) && Number(v) > 0 && Number(v) < 1;
const isDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const [y, m, d] = v.split('-').map(Number);
  const x = new Date(Date.UTC(y, m - 1, d));
  return x.getUTCFullYear() === y && x.getUTCMonth() === m - 1 && x.getUTCDate() === d;
};

// A range B of its own (both ends given; otherwise it has A's length) longer than hour buckets
// cover: the server refuses hours for the comparison (it never cuts B).
export const hourlyTooLongB = (bFrom: string, bTo: string) =>
  isDate(bFrom) && isDate(bTo) && bFrom <= bTo && daysBetween(bFrom, bTo) > MAX_HOURLY_DAYS;

// The days an hourly answer would cover, counted as the server counts them (domain/filters.cpp):
// `to` cut to today, without `from` the server's 31 days, `from` raised to the first day kept
// (the first of the month `retentionMonths` − 1 months back). null when the dates make no range
// (problems() or the server name those).
export function hourlyDays(from: string, to: string, retentionMonths: number, now = today()): number | null {
  if ((from && !isDate(from)) || (to && !isDate(to))) return null;
  const end = to && to < now ? to : now;
  if (!from) return MAX_HOURLY_DAYS;
  const oldest = monthsBack(firstOfMonth(now), retentionMonths - 1);
  const start = from > oldest ? from : oldest;
  return start > end || from > end ? null : daysBetween(start, end);
}

// The state a URL query describes (unknown or missing values fall back to the view's defaults).
export function stateFromQuery(view: FilterSpec, q: URLSearchParams): FilterState {
  const [hf, ht] = (q.get('hours') ?? '').split('-');
  let preset = q.get('preset') ?? '';
  let from = q.get('from') ?? '', to = q.get('to') ?? '';
  const range = presetRange(preset);
  if (range) ({ from, to } = range);
  else preset = from || to ? 'custom' : '';
  const gran = q.get('granularity') ?? '';
  return {
    preset, from, to,
    an: list(q, 'an').map(digits), weekday: list(q, 'weekday').map((w) => w.toLowerCase()).filter((w) => WEEKDAYS.includes(w)),
    hoursFrom: /^\d{1,2}$/.test(hf ?? '') ? String(Number(hf)) : '', hoursTo: /^\d{1,2}$/.test(ht ?? '') ? String(Number(ht)) : '',
    granularity: view.granularities.includes(gran as never) ? gran : (view.granularities[0] ?? ''),
    bFrom: q.get('b_from') ?? '', bTo: q.get('b_to') ?? '', bAn: list(q, 'b_an').map(digits),
    dn: list(q, 'dn').join(', '), anGroup: list(q, 'an_group'), dnGroup: list(q, 'dn_group'), gos: q.get('gos') ?? '',
    custom: [...new Set(list(q, 'custom'))],
    align: (q.get('align') ?? '').toLowerCase() === 'weekday' ? 'weekday' : '',
  };
}

function hoursParam(s: FilterState): string | null {
  if (s.hoursFrom === '' && s.hoursTo === '') return null;
  return `${s.hoursFrom === '' ? 0 : s.hoursFrom}-${s.hoursTo === '' ? 24 : s.hoursTo}`;
}

// The API query of a state (fixed parameters of the view included).
export function apiQuery(view: AnalysisView, s: FilterState): URLSearchParams {
  const q = new URLSearchParams();
  if (s.from) q.set('from', s.from);
  if (s.to) q.set('to', s.to);
  // A filter the view does not take is not sent (the report shares one state among its analyses).
  if (view.filters.includes('an') && s.an.length) q.set('an', s.an.join(','));
  if (view.filters.includes('weekday') && s.weekday.length && s.weekday.length < 7) q.set('weekday', s.weekday.join(','));
  const hours = view.filters.includes('hours') ? hoursParam(s) : null;
  if (hours) q.set('hours', hours);
  if (view.filters.includes('granularity') && s.granularity && s.granularity !== view.granularities[0]) q.set('granularity', s.granularity);
  if (view.filters.includes('compare')) {
    if (s.bFrom) q.set('b_from', s.bFrom);
    if (s.bTo) q.set('b_to', s.bTo);
    if (s.bAn.length) q.set('b_an', s.bAn.join(','));
    // Weekdays line up only day by day (the server refuses align with hours or months).
    if (s.align === 'weekday' && (s.granularity || view.granularities[0]) === 'day') q.set('align', 'weekday');
  }
  if (view.filters.includes('dn') && dnList(s.dn).length) q.set('dn', dnList(s.dn).map(digits).join(','));
  // Groups are a standard filter (a free account's locked pickers send nothing; the server would
  // refuse the whole request with 403).
  if (view.filters.includes('groups') && currentMe()?.plan === 'standard') {
    if (s.anGroup.length) q.set('an_group', s.anGroup.join(','));
    if (s.dnGroup.length) q.set('dn_group', s.dnGroup.join(','));
  }
  if (view.filters.includes('gos') && s.gos && s.gos !== DEFAULT_GOS) q.set('gos', s.gos);
  // Custom data, standard only as the groups (a free account's locked picker sends nothing).
  if (view.filters.includes('custom') && currentMe()?.plan === 'standard' && s.custom.length) q.set('custom', s.custom.join(','));
  for (const [k, v] of Object.entries(view.fixedQuery ?? {})) q.set(k, v);
  return q;
}

// The page's URL query: the API query plus the preset name.
export function urlQuery(view: AnalysisView, s: FilterState): URLSearchParams {
  const q = apiQuery(view, s);
  for (const k of Object.keys(view.fixedQuery ?? {})) q.delete(k);
  if (s.preset && s.preset !== 'custom') q.set('preset', s.preset);
  return q;
}

// The server refused hour buckets (400 naming granularity: more than 31 days as it counts them, a
// range the page counted otherwise): the pages and the report ask for days instead (SPEC §19).
export const hourRefused = (e: unknown, q: URLSearchParams) =>
  e instanceof ApiError && e.code === 'invalid_parameter' && e.field === 'granularity' && q.get('granularity') === 'hour';

// "2026-08-26〜2026-11-26 · すべての番号 · …": the filters the server applied, for the page and documents;
// `custom`: the custom data sets of the answer, named at the end. `range: false` leaves the
// period out, for a document that states it on a line of its own (the PNG's band).
export function appliedText(f: Applied, custom: { name: string }[] = [], { range = true } = {}): string {
  const parts = range ? [`${f.from ?? ''}〜${f.to ?? ''}`] : [];
  // The detailed analyses list every AN applied; all of the account's reads as "all numbers".
  const mine = currentMe()?.ans ?? [];
  const allAns = !f.an || f.an.length === 0 || (mine.length > 0 && mine.every((an) => f.an!.includes(an)));
  // A child limited to AN groups (SPEC §15) sees only its groups' ANs: "all" would mislead.
  const limited = (currentMe()?.an_groups?.length ?? 0) > 0;
  parts.push(allAns ? t(limited ? 'flt.all_my_ans' : 'flt.all_ans') : f.an!.map(formatAn).join(', '));
  if (f.an_group?.length) parts.push(`${t('flt.an_group')}: ${f.an_group.map((id) => groupName('an', id)).join(', ')}`);
  if (f.dn_group?.length) parts.push(`${t('flt.dn_group')}: ${f.dn_group.map((id) => groupName('dn', id)).join(', ')}`);
  if (f.dn && f.dn.length) parts.push(`${t('flt.dn')}: ${f.dn.join(', ')}`);
  parts.push(!f.weekday || f.weekday.length >= 7 ? t('flt.all_days') : f.weekday.map((w) => t(`wd.${w}`)).join('・'));
  parts.push(f.hours ? f.hours.split('-').map((x) => t('hour', { h: x })).join('〜') : t('flt.all_hours'));
  if (f.granularity) parts.push(`${t('flt.granularity')}: ${t(`gran.${f.granularity}`)}`);
  if (typeof f.gos === 'number') parts.push(`${t('flt.gos')}: ${gosText(f.gos)}`);
  let text = parts.join(' / ');
  if (f.b_from) {
    text += ` / ${t('flt.b')}: ${f.b_from}〜${f.b_to}`;
    if (f.b_an && f.an && f.b_an.join() !== f.an.join()) text += ` (${f.b_an.map(formatAn).join(', ')})`;
    if (f.align === 'weekday') text += ` (${t('flt.align')})`;
  }
  if (custom.length) text += ` / ${t('flt.custom')}: ${custom.map((c) => c.name).join(', ')}`;
  return text;
}

// Field names of the API → the label the form shows (for 400 invalid_parameter messages).
export const fieldLabel = (field: string) => ({
  from: t('flt.from'), to: t('flt.to'), an: t('flt.an'), weekday: t('flt.weekday'), hours: t('flt.hours'),
  granularity: t('flt.granularity'), b_from: t('flt.b_from'), b_to: t('flt.b_to'), b_an: t('flt.b_an'),
  dn: t('flt.dn'), gos: t('flt.gos'), an_group: t('flt.an_group'), dn_group: t('flt.dn_group'), custom: t('flt.custom'),
  align: t('flt.align'),
} as Record<string, string>)[field] ?? field;

export interface FilterBar {
  form: HTMLFormElement;
  read: () => FilterState;
  markInvalid: (field: string | null) => void;
  // Empty date inputs show the range the server chose (remembered: with the default range, a new
  // granularity clears them again so that the server's default for it applies).
  showRange: (from: string, to: string) => void;
  // The server refused hour buckets (400 naming granularity): days instead, with the note. False
  // when hours were not asked for.
  refuseHour: () => boolean;
}

const field = (labelText: string, control: HTMLElement, id: string) =>
  h('div', { class: 'field' }, h('label', { for: id }, labelText), control);

function hourSelect(name: string, value: string, labelText: string): HTMLElement {
  const id = uid('hours');
  const select = h('select', { name, id },
    h('option', { value: '' }, t('flt.hours_all')),
    ...Array.from({ length: 25 }, (_, i) => h('option', { value: String(i), selected: value === String(i) }, t('hour', { h: i }))));
  return field(labelText, select, id);
}

function anChoices(name: string, me: Me | null, ticked: string[]): HTMLElement {
  return h('div', { class: 'choices' }, ...(me?.ans ?? []).map((an) =>
    h('label', {}, h('input', { type: 'checkbox', name, value: an, checked: ticked.includes(an) }), formatAn(an))));
}

// The receiving numbers (DN) to count: a free comma list, checked before asking (digits and
// hyphens); the server answers 404 for a DN that is not the account's.
function dnField(value: string): HTMLElement {
  const id = uid('dn');
  return h('div', { class: 'field dn-field' },
    h('label', { for: id }, t('flt.dn')),
    h('input', { type: 'text', name: 'dn', id, value, inputmode: 'tel', autocomplete: 'off', placeholder: t('flt.dn_placeholder'),
      'aria-describedby': `${id}-hint` }),
    h('p', { class: 'hint', id: `${id}-hint` }, t('flt.dn_hint')));
}

// The account's groups of one kind as ticks (several: the union of their members). The groups were
// fetched by the page before the bar was built (knownGroups); none yet: the way to make one.
function groupPicker(kind: GroupKind, ticked: string[]): HTMLElement {
  const name = `${kind}_group`;
  const id = uid(name);
  const groups = knownGroups(kind) ?? [];
  return h('div', { class: 'field group-pick', role: 'group', 'aria-labelledby': id, 'data-kind': kind },
    h('div', { class: 'label', id }, t(`flt.${kind}_group`)),
    groups.length
      ? h('div', { class: 'choices group-picks' }, ...groups.map((g) =>
        h('label', {}, h('input', { type: 'checkbox', name, value: g.id, checked: ticked.includes(g.id) }), g.name)))
      : h('p', { class: 'hint' }, t('flt.groups_none'), ' ', h('a', { href: '/groups' }, t('flt.groups_make'))));
}

// The account's custom data sets as ticks (several allowed), each drawn as a line on a right-hand
// axis of its unit. Fetched by the page before the bar was built (knownCustom); none yet: the way
// to make one.
function customPicker(ticked: string[]): HTMLElement {
  const sets = knownCustom() ?? [];
  return h('fieldset', { class: 'filter-group custom-filters', 'data-plan': 'standard' }, h('legend', {}, t('flt.custom')),
    sets.length
      ? h('div', { class: 'choices custom-picks' }, ...sets.map((s) =>
        h('label', {}, h('input', { type: 'checkbox', name: 'custom', value: s.id, checked: ticked.includes(s.id) }),
          s.name, s.unit ? h('span', { class: 'muted small' }, ` (${s.unit})`) : null)))
      : h('p', { class: 'hint' }, t('flt.custom_none'), ' ', h('a', { href: '/custom' }, t('flt.custom_make'))),
    sets.length ? h('p', { class: 'hint' }, t('flt.custom_hint')) : null);
}

// A free account: the picker shown locked (disabled: nothing is sent), marked standard.
function lockedCustomPicker(): HTMLElement {
  const id = uid('custom');
  return h('fieldset', { class: 'filter-group custom-filters custom-locked', 'data-plan': 'standard' }, h('legend', {}, t('flt.custom')),
    h('div', { class: 'field' },
      h('label', { for: id }, t('flt.custom_sets'), ' ', h('span', { class: 'badge' }, t('flt.standard_badge'))),
      h('select', { name: 'custom', id, disabled: true }, h('option', { value: '' }, '—'))));
}

// The blocking target of the lines view; a new choice asks the server at once (`onChange`; the
// report has none: its buttons make the document).
function gosField(value: string, labelText: string, onChange: (() => void) | null): HTMLElement {
  const id = uid('gos');
  const current = isGos(value) ? value : DEFAULT_GOS;   // a bad value from a link is reported by problems()
  const choices = GOS_CHOICES.includes(current) ? GOS_CHOICES : [...GOS_CHOICES, current].sort((a, b) => Number(a) - Number(b));
  const select = h('select', { name: 'gos', id },
    ...choices.map((g) => h('option', { value: g, selected: g === current }, gosText(Number(g)))));
  if (onChange) select.addEventListener('change', onChange);
  return h('div', { class: 'field gos-field' }, h('label', { for: id }, labelText), select);
}

// The label of the server's month range without a `from`: the retention window, or from the
// registration month when the account is younger than that (SPEC §19: the server starts there, so
// "the past 12 months" would claim months the account never had).
function retentionWhat(me: Me | null, months: number): string {
  const oldest = monthsBack(firstOfMonth(today()), months - 1);
  const first = me && isDate(me.registered) ? firstOfMonth(me.registered) : '';
  return first > oldest && first <= today() ? t('flt.preset.since_start', { month: monthLabel(first) }) : t(`flt.preset.last_${months}m`);
}

// `apply: false`: no "表示する" button (the report's own buttons make the document).
export function filterBar(view: FilterSpec, state: FilterState, me: Me | null, onSubmit: () => void,
  { apply = true }: { apply?: boolean } = {}): FilterBar {
  const has = (p: string) => view.filters.includes(p as never);
  const standard = me?.plan === 'standard';
  const each = view.defaultPreset === 'each';          // the report: each analysis its own
  // In the report, a condition of one analysis only says which ("比較対象 B（トラフィック比較分析のみ）").
  const only = (label: string, name: string) => (each ? t('rep.only', { what: label, view: t(`view.${name}`) }) : label);
  const ids = { preset: uid('preset'), from: uid('from'), to: uid('to'), gran: uid('gran'), bFrom: uid('bfrom'), bTo: uid('bto') };

  const detailed = view.defaultPreset === 'detailed';   // detailed data: kept 3 months, from the plan change
  const retention = retentionWhat(me, standard ? 24 : 12);
  // The server's default range, which depends on the granularity for the basic analyses: 3 months
  // of days, the 31 days ending today by hour, the retention window by month (from the
  // registration month for a younger account).
  const defaultWhat = (gran: string) => (view.defaultPreset === 'retention' ? retention
    : each ? t('flt.preset.each') : detailed ? t('flt.preset.detailed')
      : gran === 'hour' ? t('flt.preset.last_31') : gran === 'month' ? retention : t('flt.preset.last_3m'));
  const defaultOption = h('option', { value: '', selected: state.preset === '' }, t('flt.preset.default', { what: defaultWhat(state.granularity) }));
  const presetSelect = h('select', { name: 'preset', id: ids.preset },
    defaultOption,
    ...PRESETS.filter((p) => (p !== 'last_24m' || standard) && (!detailed || DETAILED_PRESETS.includes(p)))
      .map((p) => h('option', { value: p, selected: state.preset === p }, t(`flt.preset.${p}`))),
    h('option', { value: 'custom', selected: state.preset === 'custom' }, t('flt.preset.custom')));
  const fromInput = h('input', { type: 'date', name: 'from', id: ids.from, value: state.from });
  const toInput = h('input', { type: 'date', name: 'to', id: ids.to, value: state.to });
  presetSelect.addEventListener('change', () => {
    const range = presetRange(presetSelect.value);
    fromInput.value = range?.from ?? '';
    toInput.value = range?.to ?? '';
  });
  const toCustom = () => { presetSelect.value = fromInput.value || toInput.value ? 'custom' : ''; };
  fromInput.addEventListener('change', toCustom);
  toInput.addEventListener('change', toCustom);

  const granSelect = has('granularity') && view.granularities.length > 1
    ? h('select', { name: 'granularity', id: ids.gran },
      ...view.granularities.map((g) => h('option', { value: g, selected: state.granularity === g }, t(each && g === 'auto' ? 'gran.each' : `gran.${g}`))))
    : null;
  // Minute buckets are for one day only (SPEC §14): offered while from = to.
  const minute = granSelect?.querySelector<HTMLOptionElement>('option[value="minute"]') ?? null;
  const syncMinute = () => {
    if (!minute || !granSelect) return;
    minute.disabled = !(fromInput.value && fromInput.value === toInput.value);
    if (minute.disabled && granSelect.value === 'minute') granSelect.value = view.granularities[0];
  };
  for (const el of [presetSelect, fromInput, toInput]) for (const ev of ['input', 'change']) el.addEventListener(ev, syncMinute);
  syncMinute();

  // Range B of the comparison (its length limits hour buckets too).
  const bFromInput = h('input', { type: 'date', name: 'b_from', id: ids.bFrom, value: state.bFrom });
  const bToInput = h('input', { type: 'date', name: 'b_to', id: ids.bTo, value: state.bTo });

  // Hour buckets cover at most 31 days (SPEC §19). For a longer range the page asks for days
  // instead of being refused, says so beside the control, and gives the hours back once the range
  // fits again (`hourWanted`: the customer chose hours and the page set them aside). The days are
  // counted as the server counts them (hourlyDays); a range the server refused all the same
  // (`refusedRange`) keeps days until it changes.
  const hourOption = granSelect?.querySelector<HTMLOptionElement>('option[value="hour"]') ?? null;
  const daysInstead = view.granularities.includes('day') ? 'day' : view.granularities[0];
  const hourNote = h('p', { id: uid('gran-note'), class: 'gran-note hidden', role: 'status' }, t('flt.hour_limit'));
  if (granSelect && hourOption) granSelect.setAttribute('aria-describedby', hourNote.id);
  // The detailed analyses keep 3 months (the server counts from that cut), the basic ones the plan's retention.
  const retentionMonths = view.plan === 'standard' ? 3 : standard ? 24 : 12;
  let hourWanted = false;
  let refusedRange: string | null = null;
  const rangeKey = () => [fromInput.value, toInput.value, bFromInput.value, bToInput.value].join('|');
  const hourTooLong = () => {
    if (refusedRange === rangeKey()) return true;
    const a = hourlyDays(fromInput.value, toInput.value, retentionMonths);
    if (a !== null && a > MAX_HOURLY_DAYS) return true;
    // A long range B too, on the comparison's page; the report's other analyses do not take B, so
    // there only the comparison is made by day (report-page.ts).
    return has('compare') && !each && hourlyTooLongB(bFromInput.value, bToInput.value);
  };
  const showHourNote = () => hourNote.classList.toggle('hidden', !hourWanted);
  const syncHour = () => {
    if (!granSelect) return;
    // "標準（直近31日）" by hour: the default range named for the granularity chosen.
    defaultOption.textContent = t('flt.preset.default', { what: defaultWhat(granSelect.value) });
    if (!hourOption) { syncAlign(); return; }
    const tooLong = hourTooLong();
    if (tooLong && granSelect.value === 'hour') {
      granSelect.value = daysInstead;
      hourWanted = true;
    } else if (!tooLong && hourWanted && granSelect.value === daysInstead) {
      granSelect.value = 'hour';
      hourWanted = false;
    } else if (granSelect.value !== daysInstead) {
      hourWanted = false;
    }
    showHourNote();
    syncAlign();
  };
  const refuseHour = () => {
    if (!granSelect || !hourOption || granSelect.value !== 'hour') return false;
    granSelect.value = daysInstead;
    hourWanted = true;
    refusedRange = rangeKey();
    syncHour();
    return true;
  };

  // align=weekday (compare): offered with day buckets only; hidden and disabled (nothing sent) otherwise.
  const alignBox = has('compare') ? h('input', { type: 'checkbox', name: 'align', value: 'weekday', checked: state.align === 'weekday' }) : null;
  const alignField = alignBox ? h('div', { class: 'field align-field' },
    h('label', { class: 'check' }, alignBox, t('flt.align')), h('p', { class: 'hint' }, t('flt.align_hint'))) : null;
  function syncAlign(): void {
    if (!alignBox || !alignField) return;
    // The report's 'auto' is each analysis's own buckets: days for the comparison.
    const gran = granSelect ? granSelect.value : view.granularities[0];
    const day = gran === 'day' || (each && gran === 'auto');
    alignField.classList.toggle('hidden', !day);
    alignBox.disabled = !day;
  }

  // With the default range ("標準"), the dates the page filled in from the last answer are the
  // server's default for the previous granularity: a new granularity clears them so that the
  // server's default for it applies (31 days by hour, not 3 months).
  let shown: { from: string; to: string } | null = null;
  const followDefault = () => {
    if (!granSelect) return;
    if (presetSelect.value === '' && shown && fromInput.value === shown.from && toInput.value === shown.to && granSelect.value !== 'minute') {
      fromInput.value = '';
      toInput.value = '';
      shown = null;
      syncMinute();
    }
  };
  granSelect?.addEventListener('change', () => {
    hourWanted = false;      // the customer's own choice
    followDefault();
    syncHour();
  });
  for (const el of [presetSelect, fromInput, toInput, bFromInput, bToInput]) for (const ev of ['input', 'change']) el.addEventListener(ev, syncHour);
  syncHour();

  const showRange = (from: string, to: string) => {
    if (fromInput.value || toInput.value) return;
    fromInput.value = from;
    toInput.value = to;
    shown = { from, to };
    syncMinute();            // choices that depend on the range (minute buckets) follow
  };

  const rows: HTMLElement[] = [];
  if (has('range')) {
    rows.push(h('div', { class: 'filters' },
      field(t('flt.preset'), presetSelect, ids.preset), field(t('flt.from'), fromInput, ids.from), field(t('flt.to'), toInput, ids.to),
      granSelect ? field(t('flt.granularity'), granSelect, ids.gran) : null,
      // Of the lines view, a standard analysis: a free account is offered the plan instead of its
      // page, and the report's bar shows no target either.
      has('gos') && standard ? gosField(state.gos, only(t('flt.gos'), 'lines'), apply ? onSubmit : null) : null));
    if (hourOption) rows.push(hourNote);
  }
  if (has('an')) {
    rows.push(h('fieldset', { class: 'filter-group' }, h('legend', {}, t('flt.an')), anChoices('an', me, state.an),
      h('p', { class: 'hint' }, t('flt.an_hint'))));
  }
  if (has('compare')) {
    rows.push(h('fieldset', { class: 'filter-group b-filters' }, h('legend', {}, only(t('flt.b'), 'compare')),
      h('div', { class: 'filters' },
        field(t('flt.b_from'), bFromInput, ids.bFrom), field(t('flt.b_to'), bToInput, ids.bTo)),
      alignField,
      h('div', { class: 'label' }, t('flt.b_an')), anChoices('b_an', me, state.bAn),
      h('p', { class: 'hint' }, t('flt.b_hint'))));
  }
  // Weekdays, time band and groups sit behind "more conditions", open when one of them is set, so
  // the chart starts within a laptop's first screen.
  const more: HTMLElement[] = [];
  if (has('weekday')) {
    more.push(h('fieldset', { class: 'filter-group' }, h('legend', {}, t('flt.weekday')),
      h('div', { class: 'choices' }, ...WEEKDAYS.map((w) =>
        h('label', {}, h('input', { type: 'checkbox', name: 'weekday', value: w, checked: state.weekday.includes(w) }), t(`wd.${w}`)))),
      h('p', { class: 'hint' }, t('flt.weekday_hint'))));
  }
  if (has('hours')) {
    more.push(h('fieldset', { class: 'filter-group' }, h('legend', {}, t('flt.hours')),
      h('div', { class: 'filters' }, hourSelect('hours_from', state.hoursFrom, t('flt.hours_from')), hourSelect('hours_to', state.hoursTo, t('flt.hours_to'))),
      h('p', { class: 'hint' }, t('flt.hours_hint'))));
  }
  if (has('groups') && standard) {
    // The account's AN and DN groups as ticks, the DN input beside them.
    more.push(h('fieldset', { class: 'filter-group group-filters', 'data-plan': 'standard' }, h('legend', {}, t('flt.groups')),
      h('div', { class: 'filters' }, groupPicker('an', state.anGroup), groupPicker('dn', state.dnGroup), has('dn') ? dnField(state.dn) : null),
      h('p', { class: 'hint' }, t('flt.groups_hint'))));
  } else if (has('groups')) {
    // A free account: the standard filters shown locked (disabled: nothing is sent), marked standard.
    const locked = (name: string, key: string) => {
      const id = uid(name);
      return h('div', { class: 'field' },
        h('label', { for: id }, t(key), ' ', h('span', { class: 'badge' }, t('flt.standard_badge'))),
        h('select', { name, id, disabled: true }, h('option', { value: '' }, '—')));
    };
    more.push(h('fieldset', { class: 'filter-group locked', 'data-plan': 'standard' }, h('legend', {}, t('flt.groups')),
      h('div', { class: 'filters' }, locked('an_group', 'flt.an_group'), locked('dn_group', 'flt.dn_group'), locked('dn', 'flt.dn'))));
  } else if (has('dn') && standard) {
    more.push(h('fieldset', { class: 'filter-group' }, h('legend', {}, t('flt.dn')), dnField(state.dn)));
  }
  if (has('custom')) more.push(standard ? customPicker(state.custom) : lockedCustomPicker());

  if (more.length) {
    const open = state.weekday.length > 0 || state.hoursFrom !== '' || state.hoursTo !== '' || state.dn !== ''
      || (standard && (state.anGroup.length > 0 || state.dnGroup.length > 0 || (has('custom') && state.custom.length > 0)));
    rows.push(h('details', { class: 'more-filters', open },
      h('summary', {}, t('flt.more')), h('div', { class: 'more-body' }, ...more)));
  }

  const form = h('form', { id: 'filters', class: 'card filter-form', novalidate: true, 'aria-label': t('flt.title') },
    ...rows,
    apply ? h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'apply-filters' }, t('flt.apply'))) : null);
  form.addEventListener('submit', (e) => { e.preventDefault(); onSubmit(); });

  const read = (): FilterState => {
    syncHour();              // never hours over more than 31 days, whatever led here
    const fd = new FormData(form);
    const s = (k: string) => String(fd.get(k) ?? '');
    // A preset whose dates were edited is a custom range.
    let preset = s('preset');
    const range = presetRange(preset);
    if (range && (range.from !== s('from') || range.to !== s('to'))) preset = 'custom';
    return {
      preset, from: s('from'), to: s('to'),
      an: fd.getAll('an').map(String), weekday: fd.getAll('weekday').map(String),
      hoursFrom: s('hours_from'), hoursTo: s('hours_to'),
      granularity: granSelect ? (s('granularity') || view.granularities[0] || '') : (view.granularities[0] ?? ''),
      bFrom: s('b_from'), bTo: s('b_to'), bAn: fd.getAll('b_an').map(String),
      dn: s('dn'), anGroup: fd.getAll('an_group').map(String), dnGroup: fd.getAll('dn_group').map(String), gos: s('gos'),
      custom: fd.getAll('custom').map(String),
      align: fd.get('align') === 'weekday' ? 'weekday' : '',
    };
  };

  const markInvalid = (name: string | null) => {
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    if (!name) return;
    const targets = name === 'hours' ? ['hours_from', 'hours_to'] : [name];
    for (const n of targets) form.querySelectorAll(`[name="${n}"]`).forEach((el) => el.setAttribute('aria-invalid', 'true'));
  };

  return { form, read, markInvalid, showRange, refuseHour };
}

// The checks the server makes on a query, made before asking (a refused request is a console
// error in the browser, and a link with a typo deserves a clear message): [field, message] pairs.
export function problems(view: AnalysisView, q: URLSearchParams, me: Me | null): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const dates = (a: string, b: string) => {
    for (const f of [a, b]) {
      const v = q.get(f);
      if (q.getAll(f).length > 1) out.push({ field: f, message: t('val.once') });
      else if (v && !isDate(v)) out.push({ field: f, message: t('val.date', { value: v }) });
    }
    const from = q.get(a), to = q.get(b);
    if (from && to && isDate(from) && isDate(to) && from > to) out.push({ field: a, message: t('val.order', { from, to }) });
  };
  dates('from', 'to');
  if (view.filters.includes('compare')) {
    dates('b_from', 'b_to');
    const align = q.get('align');
    if (q.getAll('align').length > 1) out.push({ field: 'align', message: t('val.once') });
    else if (align && !['date', 'weekday'].includes(align.toLowerCase())) out.push({ field: 'align', message: t('val.align', { value: align }) });
  }
  const hours = q.get('hours');
  if (hours) {
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(hours);
    if (!m || Number(m[1]) > 24 || Number(m[2]) > 24 || Number(m[1]) === Number(m[2])) out.push({ field: 'hours', message: t('val.hours', { value: hours }) });
  }
  for (const w of list(q, 'weekday')) {
    if (!WEEKDAYS.includes(w.toLowerCase())) out.push({ field: 'weekday', message: t('val.weekday', { value: w }) });
  }
  const gran = q.get('granularity');
  if (gran && (gran === 'auto' || !view.granularities.includes(gran.toLowerCase() as never))) out.push({ field: 'granularity', message: t('val.granularity', { value: gran }) });
  else if (gran?.toLowerCase() === 'minute' && q.get('from') !== q.get('to')) out.push({ field: 'granularity', message: t('val.minute') });
  for (const dn of list(q, 'dn')) {
    if (!/^[0-9-]+$/.test(dn) || !/^\d{1,15}$/.test(digits(dn))) out.push({ field: 'dn', message: t('val.dn', { value: dn }) });
  }
  // Group IDs: 16 hex characters, and one of the account's groups when they are known (a deleted
  // group in a bookmark is named here rather than refused by the server).
  for (const kind of me?.plan === 'standard' ? ['an', 'dn'] as GroupKind[] : []) {
    const field = `${kind}_group`;
    const known = knownGroups(kind);
    for (const id of list(q, field)) {
      if (!isGroupId(id)) out.push({ field, message: t('val.group', { value: id }) });
      else if (known && !known.some((g) => g.id === id)) out.push({ field, message: t('val.group_unknown', { value: id }) });
    }
  }
  // Custom data set IDs likewise (a set deleted after the bookmark was made).
  if (me?.plan === 'standard' && view.filters.includes('custom')) {
    const known = knownCustom();
    for (const id of list(q, 'custom')) {
      if (!isCustomId(id)) out.push({ field: 'custom', message: t('val.custom', { value: id }) });
      else if (known && !known.some((c) => c.id === id)) out.push({ field: 'custom', message: t('val.custom_unknown', { value: id }) });
    }
  }
  const gos = q.get('gos');
  if (gos !== null && view.filters.includes('gos') && !isGos(gos)) out.push({ field: 'gos', message: t('val.gos', { value: gos }) });
  const mine = me?.ans ?? [];
  for (const field of ['an', 'b_an']) {
    for (const an of list(q, field)) {
      if (!mine.includes(digits(an))) out.push({ field, message: t('val.an', { value: an }) });
    }
  }
  return out;
}
