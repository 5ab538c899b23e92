// Pages without analyses: sign-up, confirmation, login, OTP, password reissue, settings, plan,
// and the explained error pages.
import { route, setNotFound } from '../router';
import { h } from '../dom';
import { publicFrame } from '../layout';

route('/login', async () => ({ title: 'ログイン', element: publicFrame(h('h1', {}, 'ログイン')) }), { session: false });
setNotFound(async () => ({ title: 'Not found', element: publicFrame(h('h1', {}, 'ページが見つかりません')) }));
