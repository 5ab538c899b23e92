// The entry point: styles, the pages' registrations, the session guard, then the first render.

import './styles.css';
import { start, setGuard, navigate } from './router';
import { whenUnauthenticated } from './api';
import { loadMe, setMe, currentMe } from './session';
import './pages/routes';
import './analyses/routes';

// Pages that need a session send a visitor without one to the login page; the login page sends
// a logged-in visitor to the dashboard.
// Only those pages ask the server whether there is a session; the other public pages don't need to.
// When /api/me cannot be read (the network, a 5xx), a page that needs a session shows the problem
// (the router's error page) instead of sending a logged-in user to the login; the login page itself
// is shown as for a visitor.
setGuard(async (path, needsSession) => {
  if (!needsSession && path !== '/' && path !== '/login') return null;
  const me = await loadMe().catch((error) => { if (needsSession) throw error; return null; });
  if (needsSession && !me) return `/login?next=${encodeURIComponent(path + location.search)}`;
  if (me && (path === '/' || path === '/login')) return '/dashboard';
  if (!me && path === '/') return '/login';
  return null;
});

// A session that ended while the page was open (30 minutes idle, a reissue, or another login took
// it over): the login page explains which.
// Only a session the page believed live has ended: the guard's first look at /api/me on a fresh
// visit also answers 401, and that visitor is simply sent to the login with `next` by the guard.
whenUnauthenticated((why) => {
  const hadSession = currentMe() !== null;
  setMe(null);
  if (hadSession && !location.pathname.startsWith('/login')) {
    navigate(`/login?reason=${why}&next=${encodeURIComponent(location.pathname + location.search)}`);
  }
});

start();
