// Serves the web console's built files (dist/console-ui, made by `npm run build`) at /console on the admin listener.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where the console's files are; the default finds dist/console-ui from src/ or dist/. */
export interface ConsoleStaticOptions {
  root?: string;
}

/** Same origin only; no inline script or style (the build emits files), no framing. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** dist/console-ui beside dist/console (compiled) or under the repository root (running from src/). */
export function defaultConsoleRoot(): string {
  const here = import.meta.dirname;
  const candidates = [resolve(here, '../console-ui'), resolve(here, '../../dist/console-ui')];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[1]!;
}

/**
 * Registers `GET /console` and `GET /console/*`: a built file when the path names one (files under
 * `assets/` have content hashes in their names and are cached for a year), otherwise index.html (the
 * single-page app routes itself). `/console/api/*` paths that no route claims answer 404. Paths are
 * resolved inside the root only: `..`, backslashes and NUL bytes are refused.
 */
export function registerConsoleStatic(app: FastifyInstance, opts: ConsoleStaticOptions = {}): void {
  const root = resolve(opts.root ?? defaultConsoleRoot());

  const notFound = (reply: FastifyReply): FastifyReply =>
    reply.code(404).header('cache-control', 'no-store').send({ message: 'Not Found' });

  const sendFile = async (reply: FastifyReply, file: string, cache: string): Promise<unknown> => {
    const body = await readFile(file);
    return reply
      .code(200)
      .header('content-type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
      .header('cache-control', cache)
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .send(body);
  };

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const rel = ((req.params as Record<string, string | undefined>)['*'] ?? '').replace(/^\/+/, '');
    if (rel === 'api' || rel.startsWith('api/')) return notFound(reply);
    if (rel.includes('\0') || rel.includes('\\') || rel.split('/').includes('..'))
      return notFound(reply);
    const file = resolve(root, rel);
    if (rel !== '' && file.startsWith(root + sep)) {
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) {
        const immutable = rel.startsWith('assets/');
        return sendFile(
          reply,
          file,
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      }
      // A missing file with an extension (a stale asset) is a 404, not the app.
      if (rel.startsWith('assets/') || extname(rel) !== '') return notFound(reply);
    }
    const index = join(root, 'index.html');
    if (!existsSync(index))
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The console is not built: run `npm run build` (it writes dist/console-ui).\n');
    return sendFile(reply, index, 'no-cache');
  };

  app.get('/console', handler);
  app.get('/console/*', handler);
}
