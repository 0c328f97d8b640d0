// The admin API under /admin: deployments and consumers, authenticated with the admin credential.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PipelineInvalidError } from '../../core/loader/index.js';
import { PlatformError, isPlatformError } from '../../errors/index.js';
import type { PasswordVerifier } from '../../security/index.js';
import { verifyGuarded } from '../auth/login-guard.js';
import type { LoginGuard, LoginRefusal } from '../auth/login-guard.js';
import { auditNote, registerAuditHook, setActor } from '../../console/audit.js';
import { ConsoleSessions, sessionCookie } from '../../console/console-session.js';
import type { ConsoleEvents } from '../../console/event-hub.js';
import type { ChangeTopic } from '../../store/store.js';
import { registerConsoleDataRoutes } from './console-data-routes.js';
import { clientKey } from '../rate-limiter.js';
import { listConsumers, showConsumer } from '../../consumers/consumer-admin.js';
import type { ConsumerTarget } from '../../consumers/consumer-admin.js';
import { compileRecord } from '../../deployments/compile-deployment.js';
import { deployText, rollback, undeploy } from '../../deployments/deploy-pipeline.js';
import type { DeployTarget } from '../../deployments/deploy-pipeline.js';
import { registerAnomalyRoutes } from './anomaly-routes.js';
import type { GatewayMetrics } from '../../monitoring/metrics.js';
import { registerMetricsRoute, registerMonitoringRoutes } from './monitoring-routes.js';
import { registerGlobalRoutes } from './global-routes.js';

/** What the admin routes act on. */
export interface AdminServices {
  target: DeployTarget & ConsumerTarget;
  passwords: PasswordVerifier;
  /** Failed-login limits and the hash cap (shared with Basic Auth on pipelines). */
  logins: LoginGuard;
  /** Called after a write so this node serves it at once (other nodes follow the change feed). */
  afterWrite(): Promise<void>;
  /** Adds the monitoring routes and `GET /metrics` (docs/monitoring.md). */
  monitoring?: { metrics: GatewayMetrics };
  /** Console sessions: their cookie is accepted in place of Basic (docs/console.md). */
  sessions?: ConsoleSessions;
  /** Live events of GET /admin/events. */
  events?: ConsoleEvents;
  /** Applies this node's own store writes at once (consumers, keys); others follow the change feed. */
  applyChanges?(topics: ReadonlySet<ChangeTopic>): Promise<void>;
  /** Reloads revocations into the token verifier at once after POST /admin/tokens/revoke. */
  refreshTokens?(): Promise<void>;
}

const CHALLENGE = 'Basic realm="pipegate-admin"';

function credentials(req: FastifyRequest): { username: string; password: string } | null {
  const m = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon > 0 ? { username: text.slice(0, colon), password: text.slice(colon + 1) } : null;
}

/**
 * The admin credential check (Basic on /admin, the sign-in form of the console): limits before
 * hashing, and unknown users cost a hash too.
 */
export async function checkAdminCredential(
  s: Pick<AdminServices, 'target' | 'passwords' | 'logins'>,
  ip: string,
  c: { username: string; password: string },
): Promise<'ok' | 'wrong' | LoginRefusal> {
  const admin = await s.target.store.admins.get(c.username);
  return verifyGuarded(s.logins, s.passwords, {
    scope: 'admin',
    ip: clientKey(ip),
    username: c.username,
    password: c.password,
    storedHash: admin?.passwordHash ?? null,
    cacheName: `admin:${c.username}`,
  });
}

/** A throttled or busy login as its coded error and Retry-After value. */
export function loginRefusal(v: LoginRefusal): { err: PlatformError; retryAfter: string } {
  return v.kind === 'busy'
    ? { err: new PlatformError('ERR_LOGIN_BUSY'), retryAfter: '1' }
    : {
        err: new PlatformError('ERR_LOGIN_THROTTLED', { retryAfterSec: v.retryAfterSec }),
        retryAfter: String(v.retryAfterSec),
      };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The console's requests (its fetches say so, EventSource asks for an event stream, or they carry the
 * session cookie): their 401s carry no Basic challenge, so a browser never opens its login dialog.
 */
function fromConsole(req: FastifyRequest): boolean {
  return (
    req.headers['x-requested-with'] === 'pipegate-console' ||
    (req.headers.accept ?? '').includes('text/event-stream') ||
    sessionCookie(req.headers.cookie) !== null
  );
}

const BODY_TYPES = new Set(['application/json', 'application/yaml']);

/**
 * Refuses what a browser on another site could send (issue 10 item 6): a cross-site Origin or
 * Sec-Fetch-Site, and writes whose body is not declared JSON or YAML (an HTML form can only send
 * form or text/plain bodies without a preflight, which the admin API never grants).
 */
export function crossSiteRefusal(req: FastifyRequest): PlatformError | null {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    return new PlatformError('ERR_ADMIN_CROSS_SITE');
  const origin = req.headers.origin;
  if (typeof origin === 'string') {
    const host = req.headers.host ?? '';
    if (origin !== `http://${host}` && origin !== `https://${host}`)
      return new PlatformError('ERR_ADMIN_CROSS_SITE');
  }
  if (['POST', 'PUT', 'PATCH'].includes(req.method)) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!BODY_TYPES.has(type)) return new PlatformError('ERR_ADMIN_CONTENT_TYPE');
  }
  return null;
}

/** Errors as `{ code, message, details }` (and `issues` for invalid pipelines), never a stack. */
function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof PipelineInvalidError) {
    return reply.code(400).send({ ...err.toJSON(), issues: err.issues });
  }
  if (isPlatformError(err)) return reply.code(err.status).send(err.toJSON());
  reply.log.error({ err }, 'admin request failed');
  return reply.code(500).send({ message: 'Internal Server Error' });
}

function majorOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new PlatformError('ERR_GATEWAY_CONFIG', {
      option: 'major',
      reason: 'expected a non-negative integer',
    });
  return n;
}

/**
 * Registers the admin API (docs/gateway.md "Admin API") under /admin: one plugin holding every admin
 * route, mounted on the admin listener only. Every route refuses cross-site requests, then requires
 * HTTP Basic with an admin credential (`serve` creates `admin` on the first start and prints its
 * password once); a refusal is `401 {"message":"Unauthorized"}` with a Basic challenge.
 */
export function registerAdminRoutes(app: FastifyInstance, s: AdminServices): void {
  const t = s.target;
  const sessions = (s.sessions ??= new ConsoleSessions());
  const unauthorized = (req: FastifyRequest, reply: FastifyReply): FastifyReply =>
    fromConsole(req)
      ? reply.code(401).send({ message: 'Unauthorized' })
      : reply.code(401).header('WWW-Authenticate', CHALLENGE).send({ message: 'Unauthorized' });
  const adminGate = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const refused = crossSiteRefusal(req);
    if (refused) return reply.code(refused.status).send(refused.toJSON());
    const c = credentials(req);
    const cookie = c ? null : sessionCookie(req.headers.cookie);
    if (cookie !== null) {
      // The console: a live session, and on writes its CSRF token (the cookie alone never suffices).
      const session = sessions.get(cookie);
      if (!session) return unauthorized(req, reply);
      if (
        UNSAFE_METHODS.has(req.method) &&
        !ConsoleSessions.csrfMatches(session, req.headers['x-csrf-token'])
      ) {
        const err = new PlatformError('ERR_CONSOLE_CSRF');
        return reply.code(err.status).send(err.toJSON());
      }
      setActor(req, `admin:${session.username}`);
      return;
    }
    if (!c) return unauthorized(req, reply);
    let verdict: Awaited<ReturnType<typeof checkAdminCredential>>;
    try {
      verdict = await checkAdminCredential(s, req.ip, c);
    } catch {
      return reply.code(503).send({ message: 'Service Unavailable' });
    }
    if (verdict === 'ok') {
      setActor(req, `admin:${c.username}`);
      return;
    }
    if (verdict === 'wrong') return unauthorized(req, reply);
    const { err, retryAfter } = loginRefusal(verdict);
    return reply.code(err.status).header('Retry-After', retryAfter).send(err.toJSON());
  };
  if (s.monitoring) registerMetricsRoute(app, s.monitoring.metrics, adminGate);
  app.register(
    async (admin) => {
      admin.removeAllContentTypeParsers();
      admin.addContentTypeParser(
        '*',
        { parseAs: 'string', bodyLimit: 1024 * 1024 },
        (_req, body, done) => done(null, body),
      );
      admin.addHook('onRequest', adminGate);
      admin.setErrorHandler((err, _req, reply) => sendError(reply, err));
      registerAuditHook(admin, {
        store: t.store,
        environment: t.environment,
        onError: (err) =>
          admin.log.error(
            { code: (err as { code?: string }).code },
            'audit entry cannot be written',
          ),
      });
      registerAnomalyRoutes(admin, t, s.events);

      admin.get('/deployments', async () => {
        const records = await t.store.deployments.listActive(t.environment);
        return {
          environment: t.environment,
          deployments: records.map((d) => ({
            name: d.name,
            version: `${d.major}.${d.minor}`,
            id: d.id,
            deployedAt: new Date(d.deployedAt).toISOString(),
            paths: compileRecord(d, t).trigger.paths,
          })),
        };
      });
      // Body: the pipeline file text; `?file=name.yaml|json` names it in messages and sets the format.
      admin.post<{ Querystring: { file?: string }; Body: string }>(
        '/deployments',
        async (req, reply) => {
          const file =
            typeof req.query.file === 'string' && req.query.file !== ''
              ? req.query.file
              : 'pipeline.yaml';
          auditNote(req, { target: null, details: { file: file.slice(0, 200) } });
          const {
            deployment: d,
            replaced,
            paths,
          } = await deployText(t, file, typeof req.body === 'string' ? req.body : '');
          auditNote(req, {
            target: `${d.name}/${d.major}`,
            details: { version: `${d.major}.${d.minor}` },
          });
          await s.afterWrite();
          return reply.code(201).send({
            environment: t.environment,
            deployed: {
              name: d.name,
              version: `${d.major}.${d.minor}`,
              id: d.id,
              replaced: replaced ? `${replaced.major}.${replaced.minor}` : null,
              paths,
            },
          });
        },
      );
      admin.delete<{ Params: { name: string; major: string } }>(
        '/deployments/:name/:major',
        async (req) => {
          const d = await undeploy(t, req.params.name, majorOf(req.params.major));
          await s.afterWrite();
          return {
            environment: t.environment,
            undeployed: { name: d.name, version: `${d.major}.${d.minor}` },
          };
        },
      );
      admin.post<{ Params: { name: string; major: string } }>(
        '/deployments/:name/:major/rollback',
        async (req) => {
          const d = await rollback(t, req.params.name, majorOf(req.params.major));
          await s.afterWrite();
          return {
            environment: t.environment,
            active: { name: d.name, version: `${d.major}.${d.minor}` },
          };
        },
      );
      admin.get('/consumers', async () => ({
        environment: t.environment,
        consumers: await listConsumers(t),
      }));
      admin.get<{ Params: { name: string } }>('/consumers/:name', async (req) => ({
        environment: t.environment,
        consumer: await showConsumer(t, req.params.name),
      }));
      if (s.monitoring)
        registerMonitoringRoutes(admin, {
          store: t.store,
          environment: t.environment,
          metrics: s.monitoring.metrics,
        });
      registerGlobalRoutes(admin, t);
      registerConsoleDataRoutes(admin, s);
    },
    { prefix: '/admin' },
  );
}
