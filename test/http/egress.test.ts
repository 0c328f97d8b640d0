// The egress (SSRF) policy: blocked ranges, the allow-list, names resolving to private addresses, redirects into them.
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundHttp } from '../../src/http-client/index.js';
import {
  EgressPolicy,
  egressLookup,
  parseAllowEgress,
  type ResolveAll,
} from '../../src/security/egress/index.js';
import { json, startUpstream, type Upstream } from '../support/upstream.js';
import { runHttpStep } from './run-http-step.js';

/** A resolver with fixed answers: no DNS traffic, and names that point wherever a test needs. */
const names: Record<string, LookupAddress[]> = {
  'api.partner.test': [{ address: '127.0.0.1', family: 4 }],
  'internal.partner.test': [{ address: '10.20.30.40', family: 4 }],
  'metadata.partner.test': [{ address: '169.254.169.254', family: 4 }],
  'mixed.partner.test': [
    { address: '10.0.0.1', family: 4 },
    { address: '93.184.216.34', family: 4 },
  ],
  'v6.partner.test': [{ address: 'fd12:3456::1', family: 6 }],
};
const resolveAll: ResolveAll = (host, cb) => {
  const found = names[host];
  if (found) cb(null, found);
  else cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
};

describe('EgressPolicy', () => {
  const policy = new EgressPolicy();
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['64:ff9b::a00:1', 'private'],
  ])('refuses %s (%s) by default', (address, rule) => {
    expect(policy.denial('host', address)?.rule).toBe(rule);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1'])(
    'allows the public address %s',
    (address) => {
      expect(policy.denial('host', address)).toBeUndefined();
    },
  );

  it('opens hosts, wildcard domains, addresses and CIDRs from the allow-list', () => {
    const open = new EgressPolicy([
      'localhost',
      '*.svc.internal',
      '10.1.0.0/16',
      'fd00::/8',
      '192.168.1.5',
    ]);
    expect(open.denial('localhost', '127.0.0.1')).toBeUndefined();
    expect(open.denial('LOCALHOST.', '::1')).toBeUndefined();
    expect(open.denial('other-name', '127.0.0.1')?.rule).toBe('loopback');
    expect(open.denial('db.svc.internal', '10.9.9.9')).toBeUndefined();
    expect(open.denial('svc.internal', '10.9.9.9')?.rule).toBe('private');
    expect(open.denial('x', '10.1.200.3')).toBeUndefined();
    expect(open.denial('x', '10.2.0.1')?.rule).toBe('private');
    expect(open.denial('x', 'fd00::5')).toBeUndefined();
    expect(open.denial('x', '192.168.1.5')).toBeUndefined();
    expect(open.denial('x', '192.168.1.6')?.rule).toBe('private');
  });

  it.each(['10.0.0.0/33', 'not a host!', '1.2.3.4/x', '::/129'])(
    'rejects the allow entry %s with ERR_EGRESS_ALLOW_ENTRY',
    (entry) => {
      expect(() => parseAllowEgress([entry])).toThrow(
        expect.objectContaining({ code: 'ERR_EGRESS_ALLOW_ENTRY' }),
      );
    },
  );

  it('reads a comma-separated list (PIPEGATE_ALLOW_EGRESS)', () => {
    expect(parseAllowEgress(' localhost, 10.0.0.0/8 ,')).toEqual(['localhost', '10.0.0.0/8']);
  });
});

describe('egressLookup pins sockets to checked addresses', () => {
  const lookup = egressLookup(new EgressPolicy(), resolveAll);
  const resolve = (host: string, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown }>((done) =>
      lookup(host, { all }, (err, address) => done({ err, address })),
    );

  it('drops refused addresses and keeps the allowed ones', async () => {
    expect((await resolve('mixed.partner.test', true)).address).toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
    expect((await resolve('mixed.partner.test', false)).address).toBe('93.184.216.34');
  });

  it('fails with ERR_EGRESS_DENIED naming the rule when every address is refused', async () => {
    const { err } = await resolve('metadata.partner.test', false);
    expect(err).toMatchObject({
      code: 'ERR_EGRESS_DENIED',
      details: { rule: 'link-local', address: '169.254.169.254' },
    });
    expect((await resolve('v6.partner.test', true)).err).toMatchObject({
      details: { rule: 'unique-local' },
    });
  });
});

describe('http-request under the egress policy', () => {
  let upstream: Upstream;
  let redirector: Upstream;
  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => json(res, 200, { reached: true }));
    redirector = await startUpstream((req, res) => {
      const target =
        req.url === '/to-metadata'
          ? 'http://169.254.169.254/latest/meta-data/'
          : req.url === '/to-internal'
            ? 'http://internal.partner.test/'
            : `${upstream.url}/`;
      res.writeHead(302, { location: target });
      res.end();
    });
  });
  afterAll(async () => {
    await upstream.close();
    await redirector.close();
  });

  it('refuses localhost by default (a DNS name resolving to loopback) without sending anything', async () => {
    const http = createOutboundHttp();
    try {
      const result = await runHttpStep(http, {
        url: `http://localhost:${upstream.port}/`,
        failOnError: true,
      });
      expect(result.error?.code).toBe('ERR_EGRESS_DENIED');
      expect(result.error?.message).toContain('loopback addresses are blocked');
      const literal = await runHttpStep(http, { url: `${upstream.url}/`, failOnError: true });
      expect(literal.error?.code).toBe('ERR_EGRESS_DENIED');
      const metadata = await runHttpStep(http, {
        url: 'http://169.254.169.254/latest/meta-data/',
        failOnError: true,
        retries: 2,
      });
      expect(metadata.error).toMatchObject({
        code: 'ERR_EGRESS_DENIED',
        details: { rule: 'link-local' },
      });
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await http.close();
    }
  });

  it('refuses names that resolve to private or metadata addresses', async () => {
    const http = createOutboundHttp({ resolveAll });
    try {
      const internal = await runHttpStep(http, {
        url: 'http://internal.partner.test/',
        failOnError: true,
      });
      expect(internal.error).toMatchObject({
        code: 'ERR_EGRESS_DENIED',
        details: { host: 'internal.partner.test', rule: 'private' },
      });
      const metadata = await runHttpStep(http, {
        url: 'http://metadata.partner.test/latest/meta-data/',
        failOnError: true,
      });
      expect(metadata.error).toMatchObject({
        code: 'ERR_EGRESS_DENIED',
        details: { rule: 'link-local' },
      });
    } finally {
      await http.close();
    }
  });

  it('an allowed host name reaches its loopback address, and redirects into private ranges are refused', async () => {
    const http = createOutboundHttp({ policy: new EgressPolicy(['api.partner.test']), resolveAll });
    try {
      const ok = await runHttpStep(http, { url: `http://api.partner.test:${upstream.port}/` });
      expect(ok.output).toMatchObject({ status: 200, body: { reached: true } });
      // The redirector is reached by its allowed name; its redirects go to addresses nobody opened.
      const toLoopback = await runHttpStep(http, {
        url: `http://api.partner.test:${redirector.port}/to-loopback`,
        failOnError: true,
      });
      expect(toLoopback.error).toMatchObject({
        code: 'ERR_EGRESS_DENIED',
        details: { address: '127.0.0.1', rule: 'loopback' },
      });
      const toMetadata = await runHttpStep(http, {
        url: `http://api.partner.test:${redirector.port}/to-metadata`,
        failOnError: true,
      });
      expect(toMetadata.error).toMatchObject({
        code: 'ERR_EGRESS_DENIED',
        details: { address: '169.254.169.254', rule: 'link-local' },
      });
      const toInternal = await runHttpStep(http, {
        url: `http://api.partner.test:${redirector.port}/to-internal`,
        failOnError: true,
      });
      expect(toInternal.error).toMatchObject({
        code: 'ERR_EGRESS_DENIED',
        details: { host: 'internal.partner.test', rule: 'private' },
      });
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await http.close();
    }
  });
});

describe('a parsed URL given to the client is checked like its text', () => {
  let upstream: Upstream;
  beforeAll(async () => {
    upstream = await startUpstream((req, res) => json(res, 200, { path: req.url }));
  });
  afterAll(async () => {
    await upstream.close();
  });

  /** The outcome of one request, comparable across the two forms of the same URL. */
  async function outcome(
    http: ReturnType<typeof createOutboundHttp>,
    url: string | URL,
  ): Promise<unknown> {
    try {
      const res = await http.request({
        url,
        method: 'GET',
        headers: {},
        connectTimeoutMs: 1_000,
        readTimeoutMs: 2_000,
        maxResponseBytes: 1024,
        maxRedirects: 0,
      });
      return { status: res.status, url: res.url, body: res.body.toString('utf8') };
    } catch (err) {
      const e = err as { code?: string; details?: unknown };
      return { code: e.code, details: e.details };
    }
  }

  it('gives the same answer or error for generated URLs (schemes, credentials, blocked and opened addresses, names)', async () => {
    const http = createOutboundHttp({
      policy: new EgressPolicy(['127.0.0.1', 'api.partner.test']),
      resolveAll,
    });
    const hosts = [
      `127.0.0.1:${upstream.port}`,
      `api.partner.test:${upstream.port}`,
      '127.0.0.2:9',
      '[::1]:9',
      '10.1.2.3',
      '169.254.169.254',
      'internal.partner.test',
      '[::ffff:10.0.0.1]',
      '0x7f.1:9',
    ];
    const schemes = ['http:', 'https:', 'ftp:', 'file:'];
    const userinfo = ['', 'user:secret@', 'user@'];
    const paths = ['/', '/orders/A-1001', '/a%20b?x=1&y=%C3%A9', '/../x/./y?q#frag'];
    let n = 0;
    try {
      for (const host of hosts)
        for (const scheme of schemes)
          for (const user of userinfo)
            for (const path of paths) {
              const text = `${scheme}//${user}${host}${path}`;
              let parsed: URL;
              try {
                parsed = new URL(text);
              } catch {
                continue;
              }
              const [a, b] = [await outcome(http, text), await outcome(http, parsed)];
              expect(b, text).toEqual(a);
              n++;
            }
    } finally {
      await http.close();
    }
    expect(n).toBeGreaterThan(200);
  });
});
