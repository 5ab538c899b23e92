// 年間トラフィック (basic 02): the traffic analysis with granularity=month over the retention
// (12 months free, 24 standard; the server's default range for month buckets).
import { t } from '../i18n';
import type { AnalysisView } from './view';
import { trafficChart, trafficTable, noCalls, trafficPptx } from './traffic';

export const annual: AnalysisView = {
  name: 'annual', path: '/analytics/annual', api: 'traffic', plan: 'free',
  title: () => t('view.annual'), summary: () => t('sum.annual'),
  filters: ['range', 'an', 'weekday', 'hours', 'groups', 'dn', 'custom'], granularities: ['month'],
  fixedQuery: { granularity: 'month' }, defaultPreset: 'retention',
  chartOption: trafficChart, table: trafficTable, isEmpty: noCalls, pptxChart: trafficPptx,
};
