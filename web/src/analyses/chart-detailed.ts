// What the detailed analyses draw beyond bars and lines: heat maps with their colour scale
// (origin × destination, weekday × hour), the busy hour's mark line, and panel titles. Registered
// by the analysis page and the documents only; vite.config.ts keeps these ECharts modules out of
// the chunk the dashboard loads.
import { HeatmapChart } from 'echarts/charts';
import { VisualMapComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { useParts } from './chart';

useParts([HeatmapChart, VisualMapComponent, MarkLineComponent, TitleComponent]);
