// Error codes of the web console: its session, CSRF protection, audit log and console data routes (docs/console.md).
import type { ErrorTable } from '../registry.js';

export const consoleCodes = {
  ERR_CONSOLE_LOGIN: {
    status: 401,
    message: 'Sign-in refused: wrong username or password',
    doc: 'POST /console/api/session was sent an admin username and password that do not match (the same admin credential as the admin API; `serve` prints it on the first start). Repeated failures are throttled with ERR_LOGIN_THROTTLED.',
  },
  ERR_CONSOLE_SESSION: {
    status: 401,
    message: 'No console session: {reason}',
    doc: 'The console session cookie is missing, unknown, idle for more than 30 minutes or older than 12 hours, or the session was signed out; sign in again with POST /console/api/session.',
  },
  ERR_CONSOLE_CSRF: {
    status: 403,
    message: 'Missing or wrong X-CSRF-Token header',
    doc: 'A POST, PUT, PATCH or DELETE authenticated by the console session cookie must carry the header X-CSRF-Token with the csrfToken returned at sign-in (GET /console/api/session returns it again).',
  },
  ERR_CONSOLE_REQUEST: {
    status: 400,
    message: 'Invalid console request {option}: {reason}',
    doc: 'A body field or query parameter of a console route (/console/api/*, /admin/overview, /admin/pipelines/{name}/metrics, /admin/consumers writes, /admin/tokens/*, /admin/audit, /admin/events) is malformed; the message names it and says what is expected.',
  },
  ERR_CONSOLE_EVENTS_BUSY: {
    status: 503,
    message: 'Too many live event streams ({max}); close one and retry',
    doc: 'GET /admin/events serves a bounded number of subscribers per process; close other console tabs or wait for them to disconnect, then retry.',
  },
} as const satisfies ErrorTable;
