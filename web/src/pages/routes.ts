// Pages without analyses: sign-up, confirmation, login and its one-time password, password
// reissue, settings, plan, groups, custom data, child IDs, and the explained error pages. Each module
// registers its own routes and texts; importing it is enough. The custom-data page (its editor, the
// CSV preview) and the child-ID page are loaded only when opened, so the entry chunk stays small.
import { route } from '../router';
import './login';
import './signup';
import './confirm';
import './password';
import './settings';
import './plan';
import './groups';
import './notfound';

route('/custom', async () => (await import('./custom')).customPage(), { session: true });
route('/users', async () => (await import('./users')).usersPage(), { session: true });
