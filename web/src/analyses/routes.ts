// The dashboard, every analysis view of the catalogue and the report page. The pages themselves
// (and ECharts with them) are loaded on demand, so the login and account pages stay light; jsPDF
// and PptxGenJS load only when a document is asked for.
import { route } from '../router';
import { catalog } from './catalog';

const appPath = /^\/(dashboard|analytics\/|report)/.test(location.pathname);
const pageModule = () => import('./page');
const dashboardModule = () => import('./dashboard');
// Start fetching the page code while the session is being checked.
// A failure here is no error yet: the route asks again and shows it if it still fails.
if (appPath) (location.pathname.startsWith('/dashboard') ? dashboardModule() : pageModule()).catch(() => undefined);

route('/dashboard', async (ctx) => (await dashboardModule()).dashboardPage(ctx), { session: true });
for (const view of catalog) {
  route(view.path, async (ctx) => (await pageModule()).analysisPage(view, ctx), { session: true });
}
route('/report', async () => (await import('./report-page')).reportPage(), { session: true });
