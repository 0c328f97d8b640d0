// Serving the built console (src/console/static-assets.ts): SPA fallback, caching, CSP, no traversal.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, registerConsoleStatic } from '../../src/console/static-assets.js';

describe('console static assets', () => {
  let app: FastifyInstance;
  let base: string;
  let parent: string;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'pg-console-ui-'));
    const root = join(parent, 'console-ui');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(root, 'assets', 'index-abc123.css'), 'body{}');
    await writeFile(join(parent, 'secret.txt'), 'outside the root');
    app = Fastify();
    registerConsoleStatic(app, { root });
    app.get('/console/api/session', async () => ({ ok: true }));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await rm(parent, { recursive: true, force: true });
  });

  it('serves index.html for /console and any page path, not cached, with the CSP', async () => {
    for (const path of [
      '/console',
      '/console/',
      '/console/executions/abc',
      '/console/tokens?jti=x',
    ]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(await res.text()).toContain('<title>console</title>');
    }
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets with their type and a one-year immutable cache', async () => {
    const js = await fetch(`${base}/console/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${base}/console/assets/index-abc123.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 (not the app) for a missing asset and unknown /console/api paths', async () => {
    expect((await fetch(`${base}/console/assets/gone-123.js`)).status).toBe(404);
    expect((await fetch(`${base}/console/favicon.png`)).status).toBe(404);
    const api = await fetch(`${base}/console/api/nothing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ message: 'Not Found' });
    // A route registered under /console/api wins over the static wildcard.
    expect(await (await fetch(`${base}/console/api/session`)).json()).toEqual({ ok: true });
  });

  it('never serves a file outside its root', async () => {
    for (const path of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/%2e%2e/%2e%2e/secret.txt',
      '/console/..%2fsecret.txt',
      '/console/..%5csecret.txt',
      '/console/%00index.html',
    ]) {
      const res = await fetch(base + path);
      const text = await res.text();
      expect(text, path).not.toContain('outside the root');
      expect([200, 400, 404], path).toContain(res.status);
    }
  });
});
