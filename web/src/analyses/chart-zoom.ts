// The zoom slider for long series, registered by the analysis page only (the dashboard's chart
// bundle stays smaller).
import { DataZoomComponent } from 'echarts/components';
import { useParts } from './chart';

useParts([DataZoomComponent]);
