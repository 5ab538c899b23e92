// The entry point: styles, the pages' registrations, the session guard, then the first render.

import './styles.css';
import { start, setGuard, navigate } from './router';
import { whenUnauthenticated } from './api';
import { loadMe, setMe } from './session';
import './pages/routes';
import './analyses/routes';

// Pages that need a session send a visitor without one to the login page; the login page sends
// a logged-in visitor to the dashboard.
setGuard(async (path, needsSession) => {
  const me = await loadMe();
  if (needsSession && !me) return `/login?next=${encodeURIComponent(path + location.search)}`;
  if (me && (path === '/' || path === '/login')) return '/dashboard';
  if (!me && path === '/') return '/login';
  return null;
});

// A session that ended while the page was open (30 minutes idle, logged in elsewhere after a
// reissue): the login page explains it.
whenUnauthenticated(() => {
  setMe(null);
  if (!location.pathname.startsWith('/login')) navigate('/login?reason=expired');
});

start();
