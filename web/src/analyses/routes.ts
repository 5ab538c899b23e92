// The dashboard and every analysis view.
import { route } from '../router';
import { h } from '../dom';
import { appFrame } from '../layout';

route('/dashboard', async () => ({ title: 'ホーム', element: appFrame('/dashboard', h('h1', {}, 'ホーム')) }), { session: true });
