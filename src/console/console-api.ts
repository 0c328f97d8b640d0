// The console's session routes on the admin listener: sign in with the admin credential, read the session, sign out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PlatformError } from '../errors/index.js';
import type { AuditSink } from './audit.js';
import { writeAudit } from './audit.js';
import { ConsoleSessions, sessionCookie, sessionSetCookie } from './console-session.js';
import type { SessionView } from './console-session.js';

/** What the session routes need from the admin listener (kept as functions: no import of the gateway). */
export interface ConsoleApiServices {
  sessions: ConsoleSessions;
  audit: AuditSink;
  /** The admin credential check with the failed-login guard (admin-routes' checkAdminCredential). */
  checkCredential(
    ip: string,
    c: { username: string; password: string },
  ): Promise<'ok' | 'wrong' | { kind: 'throttled'; retryAfterSec: number } | { kind: 'busy' }>;
  /** The admin API's cross-site and content-type refusal. */
  crossSiteRefusal(req: FastifyRequest): PlatformError | null;
}

function sessionJson(v: SessionView): { username: string; csrfToken: string; expiresAt: string } {
  return { username: v.username, csrfToken: v.csrfToken, expiresAt: new Date(v.expiresAt).toISOString() };
}

function sendError(reply: FastifyReply, err: PlatformError): FastifyReply {
  return reply.code(err.status).header('Cache-Control', 'no-store').send(err.toJSON());
}

/** A string field of the sign-in body, bounded. */
function field(body: unknown, name: string): string | null {
  const v = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' && v.length > 0 && v.length <= 1024 ? v : null;
}

/**
 * Registers `POST`, `GET` and `DELETE /console/api/session` (docs/console.md "Session"). The cookie
 * is `pipegate_console`, HttpOnly, SameSite=Strict, Path=/, Secure when the request came over TLS
 * (directly or, with trustProxy, per X-Forwarded-Proto). Responses are never cached.
 */
export function registerConsoleApi(app: FastifyInstance, s: ConsoleApiServices): void {
  const refuse = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const refused = s.crossSiteRefusal(req);
    return refused ? sendError(reply, refused) : undefined;
  };
  const secure = (req: FastifyRequest): boolean => req.protocol === 'https';

  app.post('/console/api/session', { onRequest: refuse }, async (req, reply) => {
    const username = field(req.body, 'username');
    const password = field(req.body, 'password');
    if (username === null || password === null)
      return sendError(
        reply,
        new PlatformError('ERR_CONSOLE_REQUEST', {
          option: 'body',
          reason: 'expected {"username": "…", "password": "…"}',
        }),
      );
    const who = `admin:${username.slice(0, 64)}`;
    let verdict: Awaited<ReturnType<ConsoleApiServices['checkCredential']>>;
    try {
      verdict = await s.checkCredential(req.ip, { username, password });
    } catch {
      return reply.code(503).send({ message: 'Service Unavailable' });
    }
    if (verdict !== 'ok') {
      const err =
        verdict === 'wrong'
          ? new PlatformError('ERR_CONSOLE_LOGIN')
          : verdict.kind === 'busy'
            ? new PlatformError('ERR_LOGIN_BUSY')
            : new PlatformError('ERR_LOGIN_THROTTLED', { retryAfterSec: verdict.retryAfterSec });
      await writeAudit(s.audit, req, {
        actor: who,
        action: 'console.sign-in',
        target: null,
        status: err.status,
        details: { code: err.code },
      });
      if (verdict !== 'wrong')
        reply.header('Retry-After', verdict.kind === 'busy' ? '1' : String(verdict.retryAfterSec));
      return sendError(reply, err);
    }
    const { id, view } = s.sessions.create(username);
    await writeAudit(s.audit, req, { actor: who, action: 'console.sign-in', target: null, status: 200 });
    return reply
      .header('Set-Cookie', sessionSetCookie(id, { secure: secure(req), maxAgeSec: Math.floor(s.sessions.absoluteMs / 1000) }))
      .header('Cache-Control', 'no-store')
      .send(sessionJson(view));
  });

  app.get('/console/api/session', { onRequest: refuse }, async (req, reply) => {
    const id = sessionCookie(req.headers.cookie);
    const view = id === null ? null : s.sessions.get(id);
    if (!view)
      return sendError(
        reply,
        new PlatformError('ERR_CONSOLE_SESSION', {
          reason: id === null ? 'not signed in' : 'the session expired or was signed out',
        }),
      );
    return reply.header('Cache-Control', 'no-store').send(sessionJson(view));
  });

  app.delete('/console/api/session', { onRequest: refuse }, async (req, reply) => {
    const id = sessionCookie(req.headers.cookie);
    const view = id === null ? null : s.sessions.get(id);
    if (view) {
      if (!ConsoleSessions.csrfMatches(view, req.headers['x-csrf-token']))
        return sendError(reply, new PlatformError('ERR_CONSOLE_CSRF'));
      s.sessions.delete(id!);
      await writeAudit(s.audit, req, {
        actor: `admin:${view.username}`,
        action: 'console.sign-out',
        target: null,
        status: 204,
      });
    }
    return reply
      .code(204)
      .header('Set-Cookie', sessionSetCookie('', { secure: secure(req), maxAgeSec: 0 }))
      .header('Cache-Control', 'no-store')
      .send();
  });
}
