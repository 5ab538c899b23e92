// What every analysis view is: a description the generic page (page.ts), the report and the
// downloads read. A view knows its API name, the filters it takes, its default query, and how its
// answer becomes a chart option and a table. Adding an analysis = one module like traffic.ts,
// registered in catalog.ts.

import type { Me } from '../session';

// 'auto' = send none and let the server choose (calls-minutes: hour up to 7 days, day beyond).
export type Granularity = 'auto' | 'minute' | 'hour' | 'day' | 'month';

// The parts of the filter bar a view shows. 'dn': a comma list of receiving numbers (standard);
// 'gos': the blocking
// target of the lines analysis; 'custom': the custom data sets drawn over the analysis (standard,
// views whose answer has buckets).
export type FilterPart = 'range' | 'an' | 'weekday' | 'hours' | 'granularity' | 'compare' | 'groups' | 'dn' | 'gos' | 'custom';

// The answer of GET /api/analytics/{name}: filters applied plus the view's own data.
export interface Applied {
  from?: string; to?: string; an?: string[]; weekday?: string[]; hours?: string | null; granularity?: string;
  b_from?: string; b_to?: string; b_an?: string[]; dn?: string[]; gos?: number;
  an_group?: string[]; dn_group?: string[];
  align?: string;      // compare: 'weekday' when B was aligned (the page notes it from its query)
}
export interface Answer { filters: Applied; series?: any[]; totals?: any; [key: string]: unknown }

// One table cell: the raw number (data-value) and its text. `value` undefined = a text cell.
export interface Cell { text: string; value?: number | null; key?: string }
// cells[0] is the bucket label t (or the row's key: a prefecture code, an AN, …); `mark` makes a
// row stand out (the busy hour, the recommended number of lines).
export interface TableRow { t: string; cells: Cell[]; mark?: boolean }
export interface TableModel { head: string[]; rows: TableRow[]; totals: Cell[] | null; sortable?: boolean }
// A second table under the main one (#data-table), e.g. the Erlang B table of the lines view.
export interface ExtraTable { id: string; title: string; model: TableModel }
// A sentence over the chart that states the answer in words; `data` becomes data-* attributes
// (raw figures for tests and assistive reading).
export interface Headline { text: string; data?: Record<string, string> }

export interface AnalysisView {
  name: string;                      // view name: traffic, annual, compare, … (report-item values)
  path: string;                      // /analytics/traffic
  api: string;                       // the analysis name of the API (annual → traffic)
  plan: 'free' | 'standard';
  title: () => string;
  summary: () => string;             // one or two sentences: what the analysis shows
  // Parts of the filter bar, and the granularities offered (the first is the default).
  filters: FilterPart[];
  granularities: Granularity[];
  // Query parameters always sent (e.g. granularity=month for annual) and the preset shown first.
  fixedQuery?: Record<string, string>;
  defaultPreset?: string;
  // Built views; a view without these shows "coming soon" (#not-yet) instead of asking.
  chartOption?: (data: Answer) => Record<string, unknown>;
  table?: (data: Answer) => TableModel;
  docTable?: (data: Answer) => TableModel;   // a narrower table for PDF/PPTX, when `table` is too wide for a page
  isEmpty?: (data: Answer) => boolean;
  extraTables?: (data: Answer) => ExtraTable[];
  headline?: (data: Answer) => Headline | null;
  tallChart?: boolean;                // a taller chart box (rankings, heat maps)
  emptyTitle?: () => string;          // the empty state's heading when not "no calls"
  // PPTX: a native chart of the data (PptxGenJS types and data; see downloads/pptx.ts).
  pptxChart?: (data: Answer) => PptxChartSpec | null;
}

export interface PptxSeries { name: string; labels: string[]; values: (number | null)[]; color: string }
export interface PptxChartSpec {
  parts: { type: 'bar' | 'line'; stacked?: boolean; secondary?: boolean; series: PptxSeries[] }[];
  percentSecondary?: boolean;       // the secondary axis is a 0–100 % axis (completion rate)
  secondaryTitle?: string;          // else its title (a custom data set's unit)
}

export const available = (v: AnalysisView) => Boolean(v.chartOption && v.table);
export const allowed = (v: AnalysisView, me: Me | null) => v.plan === 'free' || me?.plan === 'standard';
