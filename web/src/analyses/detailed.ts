// The detailed analyses (詳細データ, standard plan). The server answers 403 plan_required on free
// and 501 not_implemented on standard today; each becomes its own module (like traffic.ts) with a
// chart and a table when the server serves it. Until then they describe themselves, so the page
// can offer the upgrade or explain that the analysis is coming.
import { t } from '../i18n';
import type { AnalysisView } from './view';

const NAMES = ['origin', 'destination', 'origin-destination', 'numbers', 'calls-minutes', 'callers', 'lines', 'distribution'];

export const detailed: AnalysisView[] = NAMES.map((name) => ({
  name, path: `/analytics/${name}`, api: name, plan: 'standard',
  title: () => t(`view.${name}`), summary: () => t(`sum.${name}`),
  filters: ['range', 'an', 'weekday', 'hours', 'groups'], granularities: [],
}));
