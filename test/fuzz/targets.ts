// Property-based fuzz targets (fast-check): HTTP request path, token verifier, pipeline loader, Double Braces, JOLT.
import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import { compileTemplate, newCompileInfo } from '../../src/expr/index.js';
import type { EvalScope } from '../../src/expr/index.js';
import { compileChain } from '../../src/jolt/index.js';
import { loadPipelineText } from '../../src/core/loader/index.js';
import { defaultRegistry } from '../../src/connectors/index.js';
import { isPlatformError } from '../../src/errors/index.js';
import { systemClock } from '../../src/core/engine/index.js';
import type { JsonValue } from '../../src/core/json.js';
import { consumer, echoPipeline, startHarness } from '../gateway/harness.js';
import type { Harness } from '../gateway/harness.js';

/** The property every target checks: no crash, no uncoded failure, no 5xx for client input, < 1 s. */
export const MAX_MS = 1000;

/** One fuzz target: an input generator and a check that throws when the property is violated. */
export interface FuzzTarget<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  check(input: T): Promise<void> | void;
  /**
   * Inputs checked at once (default 1). A target whose check waits on I/O (a loopback request, a
   * signature check on the libuv pool) would otherwise leave the event loop idle between inputs and
   * pay a wake-up per hop; with several in flight the loop stays busy. Every input is still one
   * generated value checked on its own; fast-check generates (and shrinks) them `concurrency` at a time.
   */
  concurrency?: number;
}

/** A violation, with the input that caused it (fast-check shrinks it). */
class Violation extends Error {}

function expectCoded(err: unknown, what: string): void {
  if (!isPlatformError(err))
    throw new Violation(
      `${what} threw an uncoded ${(err as Error)?.name}: ${(err as Error)?.message}`,
    );
}

/**
 * Runs `fn` and fails when it takes more than MAX_MS. Processor time (of the whole process, so also
 * pool threads and the garbage collector) over MAX_MS is a violation at once; wall-clock time over
 * MAX_MS must happen twice in a row: on a shared, overloaded machine a scheduling pause can stretch
 * any call once, a genuinely slow input is slow every time.
 */
async function bounded<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  let t = performance.now();
  const cpu = process.cpuUsage();
  let out = await fn();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  if (cpuMs > MAX_MS) throw new Violation(`${what} used ${cpuMs.toFixed(0)} ms of processor time`);
  let ms = performance.now() - t;
  if (ms > MAX_MS) {
    t = performance.now();
    out = await fn();
    ms = performance.now() - t;
    if (ms > MAX_MS) throw new Violation(`${what} took ${ms.toFixed(0)} ms (twice)`);
  }
  slowest = Math.max(slowest, ms);
  return out;
}

/** Longest accepted call time since the last runTarget started (ms). */
let slowest = 0;

// ---------------------------------------------------------------- HTTP request path

const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'PROPFIND',
  'SEARCH',
  'QUERY',
  'MKCOL',
  'PURGE',
  'LOCK',
  'REPORT',
  'TRACE',
];
const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  '',
  ';;;',
  'application/json, text/plain',
  'application/json; charset=utf-8',
  'multipart/form-data; boundary=x',
  'a/b; c=',
  '*/*',
  'application/vnd.api+json',
];

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Requests in flight at once (each on its own kept-alive connection). */
const HTTP_CONCURRENCY = 8;

/** A gateway with an open, a key-protected, a JWT-protected and an http-trigger pipeline. */
export interface HttpFixture {
  h: Harness;
  apiKey: string;
  token: string;
  agent: Agent;
  close(): Promise<void>;
}

export async function startHttpFixture(): Promise<HttpFixture> {
  const h = await startHarness(
    {
      'open.json': echoPipeline('open'),
      'keyed.json': echoPipeline('keyed', { auth: { apiKey: true }, maxRequestSizeMb: 1 }),
      'jwt.json': echoPipeline('jwt', { auth: { jwt: true, scopes: ['read'] } }),
      'text.json': echoPipeline('text', { type: 'http', cors: { origins: ['*'] } }),
    },
    { logger: { level: 'warn', stream: { write: () => true } } },
  );
  const apiKey = await consumer(h, 'fuzz', { scopes: ['read'] });
  const issued = await h.gw.tokens.issue({
    consumer: 'fuzz',
    claims: {},
    scopes: ['read'],
    pipeline: 'fuzz',
    executionKey: 'fuzz',
    sensitiveFields: [],
  });
  // One kept-alive socket per request in flight: requests never queue in the agent for a socket.
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });
  return {
    h,
    apiKey,
    token: issued.token,
    agent,
    async close() {
      agent.destroy();
      await h.close();
    },
  };
}

function requestArbitrary(fx: HttpFixture): fc.Arbitrary<FuzzRequest> {
  const paths = fc.oneof(
    fc.constantFrom(
      '/pipeline/local/v1/open',
      '/pipeline/local/v1/keyed',
      '/pipeline/local/v1/jwt',
      '/pipeline/local/v1/text',
      '/healthz',
      '/readyz',
      '/',
      '/.well-known/jwks.json',
      '/admin/deployments',
    ),
    fc
      .tuple(
        fc.constantFrom('/pipeline/local/v1/open', '/pipeline/local/v1/keyed', '/x'),
        fc.string({ maxLength: 20 }),
      )
      .map(([p, s]) => p + '/' + encodeURIComponent(s)),
    fc
      .tuple(
        fc.constantFrom('/pipeline/local/v1/open', '/pipeline/local/v1/keyed'),
        fc.string({ maxLength: 30 }),
      )
      .map(
        ([p, q]) =>
          `${p}?${encodeURIComponent(q)}=${encodeURIComponent(q)}&apikey=${encodeURIComponent(q)}`,
      ),
  );
  const headerValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ''));
  const headers = fc.record(
    {
      'content-type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerValue),
      apikey: fc.oneof(
        fc.constant(fx.apiKey),
        headerValue,
        fc.constant(fx.apiKey.slice(0, -1) + 'A'),
      ),
      authorization: fc.oneof(
        fc.constant(`Bearer ${fx.token}`),
        headerValue.map((v) => `Bearer ${v}`),
        headerValue.map((v) => `Basic ${v}`),
        fc.constant(`Bearer ${fx.token.slice(0, -2)}`),
        headerValue,
      ),
      origin: fc.oneof(fc.constant('https://example.com'), headerValue),
      'access-control-request-method': fc.constantFrom('GET', 'POST', 'X'),
      accept: headerValue,
      'x-forwarded-for': headerValue,
    },
    { requiredKeys: [] },
  );
  const body = fc.option(
    fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        '{',
        '{"a":',
        '[]',
        'null',
        '"\\ud800"',
        '{"__proto__":{"x":1}}',
        'a=1&b=2&a=3',
      ),
      fc.integer({ min: 1, max: 2000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
    ),
    { nil: null },
  );
  return fc.record({ method: fc.constantFrom(...METHODS), path: paths, headers, body });
}

/**
 * Sends one request. A keep-alive connection the server closed after answering before reading a
 * body (its right: RFC 9112 §9.6) can fail the next request sent on it; like any HTTP client, the
 * request is then retried once on a new connection.
 */
async function send(fx: HttpFixture, r: FuzzRequest): Promise<number> {
  try {
    return await sendOnce(fx, r, fx.agent);
  } catch (err) {
    if ((err as { reused?: boolean }).reused !== true) throw err;
    return sendOnce(fx, r, false);
  }
}

function sendOnce(fx: HttpFixture, r: FuzzRequest, agent: Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(fx.h.gw.url);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: r.headers,
        agent,
        timeout: 5000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', (err) => reject(Object.assign(err, { reused: req.reusedSocket })));
    if (r.body !== null && r.method !== 'GET' && r.method !== 'HEAD') req.end(r.body);
    else req.end();
  });
}

/** HTTP: any method, path, headers and body get an answer below 500 within 1 s. */
export function httpTarget(fx: HttpFixture): FuzzTarget<FuzzRequest> {
  return {
    name: 'HTTP request path',
    arbitrary: requestArbitrary(fx),
    concurrency: HTTP_CONCURRENCY,
    async check(r) {
      let status: number;
      try {
        status = await bounded(`${r.method} ${r.path}`, () => send(fx, r));
      } catch (err) {
        // Header values Node itself refuses to send are not inputs the server can see.
        if ((err as { code?: string }).code === 'ERR_INVALID_CHAR') return;
        throw err;
      }
      if (status >= 500) throw new Violation(`${r.method} ${r.path} answered ${status}`);
    },
  };
}

// ---------------------------------------------------------------- token parser and verifier

function b64(v: unknown): string {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

function sameBytes(a: string, b: string): boolean {
  const pa = a.split('.');
  const pb = b.split('.');
  return (
    pa.length === pb.length &&
    pa.every((seg, i) => Buffer.from(seg, 'base64url').equals(Buffer.from(pb[i]!, 'base64url')))
  );
}

/** The token verifier: any string resolves to a decision (never throws), and only genuine tokens pass. */
export function tokenTarget(fx: HttpFixture): FuzzTarget<string> {
  const [h, p, s] = fx.token.split('.') as [string, string, string];
  const mutate = fc
    .tuple(fc.nat(fx.token.length - 1), fc.constantFrom(...'AZaz09-_.='))
    .map(([i, c]) => fx.token.slice(0, i) + c + fx.token.slice(i + 1))
    .filter((t) => t !== fx.token);
  const forged = fc
    .tuple(
      fc.record(
        {
          alg: fc.constantFrom('none', 'HS256', 'ES256', 'RS256', 'EdDSA', ''),
          typ: fc.constantFrom('at+jwt', 'JWT'),
          kid: fc.string({ maxLength: 8 }),
        },
        { requiredKeys: [] },
      ),
      fc.oneof(
        fc.json({ maxDepth: 3 }),
        fc.constant(JSON.parse(Buffer.from(p, 'base64url').toString()) as unknown),
      ),
    )
    .map(([hd, pl]) => `${b64(hd)}.${b64(pl)}.${s}`);
  return {
    name: 'token parser and verifier',
    concurrency: 8,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 300 }),
      mutate,
      forged,
      fc.constant(`${h}.${p}`),
      fc.constant(`${h}.${p}.`),
      fc.constant(`${h}..${s}`),
      fc.string({ maxLength: 100 }).map((x) => `${h}.${b64(x)}.${s}`),
      fc.constant('a.'.repeat(9000)),
    ),
    async check(token) {
      let r;
      try {
        r = await bounded('verify', () => fx.h.gw.tokens.verify(token));
      } catch (err) {
        throw new Violation(`verify threw ${(err as Error).message}`);
      }
      // base64url's unused trailing bits make some other strings decode to the very same bytes.
      if (r.ok && !sameBytes(token, fx.token))
        throw new Violation('a forged or altered token verified');
    },
  };
}

// ---------------------------------------------------------------- pipeline loader

const STEP_TYPES = [...defaultRegistry.keys(), 'nope', ''];

function pipelineArbitrary(): fc.Arbitrary<string> {
  const step = fc.record(
    {
      type: fc.constantFrom(...STEP_TYPES),
      alias: fc.oneof(fc.constantFrom('a', 'b', 'x-1'), fc.string({ maxLength: 8 })),
      failOnError: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
      expression: fc.oneof(
        fc.constantFrom('$', '{ "a": b }', '$error("x")', '(', '$$.a'),
        fc.string({ maxLength: 20 }),
      ),
      json: fc.oneof(
        fc.json({ maxDepth: 2 }).map((t) => JSON.parse(t) as unknown),
        fc.constantFrom('{{ message.a }}', '{{', '{{ NOPE() }}'),
      ),
      message: fc.constantFrom('hi {{ message.a }}', '{{ }}', '{{ CONCAT( }}'),
      operation: fc.constantFrom('generate', 'decode', 'revoke', 'put', 'get', 'x'),
      spec: fc.json({ maxDepth: 3 }).map((t) => JSON.parse(t) as unknown),
      onProcess: fc.constant([{ type: 'log', message: 'x' }]),
      when: fc.constant([{ condition: '{{ true }}', steps: [] }]),
    },
    { requiredKeys: ['type'] },
  );
  const doc = fc.record(
    {
      name: fc.oneof(fc.constantFrom('ok-name', 'Bad Name', ''), fc.string({ maxLength: 10 })),
      version: fc.oneof(fc.constantFrom('1.0', '2.5', '1', 'x'), fc.double()),
      trigger: fc.record(
        {
          type: fc.constantFrom('rest', 'http', 'cron'),
          methods: fc.array(fc.constantFrom('GET', 'POST', 'BREW'), { maxLength: 3 }),
          routes: fc.array(fc.constantFrom('/a', '/a/:id', 'nope', '/admin/x'), { maxLength: 2 }),
          auth: fc.record(
            {
              apiKey: fc.boolean(),
              jwt: fc.boolean(),
              scopes: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
            },
            { requiredKeys: [] },
          ),
          timeoutMs: fc.integer({ min: -5, max: 2_000_000 }),
          rateLimit: fc.constant({ limits: [{ interval: 'minute', limit: 5 }] }),
        },
        { requiredKeys: [] },
      ),
      steps: fc.array(step, { maxLength: 5 }),
      sensitiveFields: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 4, arbitrary: doc.map((d) => JSON.stringify(d)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'a: &a [*a]',
        'steps:\n  - !!js/function x',
        '{"a":'.repeat(500),
        'name: a\nname: b',
        '? [a]\n: b',
        '---\n---\n',
      ),
    },
  );
}

/** The pipeline loader: any text loads, or is refused with a coded error, within 1 s. */
export function loaderTarget(): FuzzTarget<string> {
  return {
    name: 'pipeline loader',
    arbitrary: pipelineArbitrary(),
    async check(text) {
      const file = text.startsWith('{') ? 'fuzz.json' : 'fuzz.yaml';
      await bounded('load', () => {
        try {
          loadPipelineText(file, text, { registry: defaultRegistry, requireTrigger: false });
        } catch (err) {
          expectCoded(err, 'loadPipelineText');
        }
      });
    },
  };
}

// ---------------------------------------------------------------- Double Braces

const EXPR_PARTS = [
  '{{',
  '}}',
  ' ',
  'message',
  '.',
  'a',
  '[0]',
  '["k"]',
  '$',
  'metadata',
  'global',
  'step',
  'item',
  '(',
  ')',
  ',',
  '"x"',
  '"',
  '\\',
  '1',
  '-2.5e3',
  'true',
  'null',
  '{',
  '}',
  '[',
  ']',
  ':',
  'CONCAT',
  'IF',
  'EQUALTO',
  'JSONPATH',
  'SUBSTRING',
  'REPLACE',
  'MATCHES',
  'FORMATDATE',
  'TONUMBER',
  'SPLIT',
  'BASEDECODE',
  'NOPE',
  '__proto__',
  'constructor',
  '"$.a[?(@.b > 1)]"',
  '"(a+)+$"',
  '"yyyy-MM-dd"',
];

/** Double Braces: any template compiles or is refused with a coded error; evaluation likewise; < 1 s. */
export function doubleBracesTarget(): FuzzTarget<{ source: string; message: string }> {
  const scope = (message: JsonValue): EvalScope => ({
    message,
    global: { g: 1 },
    account: {},
    metadata: { execution: { key: 'k' } },
    step: {},
    item: null,
    services: systemClock,
  });
  return {
    name: 'Double Braces parser',
    arbitrary: fc.record({
      source: fc.oneof(
        fc.array(fc.constantFrom(...EXPR_PARTS), { maxLength: 25 }).map((p) => p.join('')),
        fc
          .array(fc.constantFrom(...EXPR_PARTS), { maxLength: 12 })
          .map((p) => `{{ ${p.join('')} }}`),
        fc.string({ maxLength: 60 }).map((s) => `{{ ${s} }}`),
      ),
      message: fc.json({ maxDepth: 3 }),
    }),
    async check({ source, message }) {
      await bounded(source, () => {
        let compiled;
        try {
          compiled = compileTemplate(source, newCompileInfo());
        } catch (err) {
          expectCoded(err, 'compileTemplate');
          return;
        }
        try {
          compiled.evaluate(scope(JSON.parse(message) as JsonValue));
        } catch (err) {
          expectCoded(err, 'evaluate');
        }
      });
    },
  };
}

// ---------------------------------------------------------------- JOLT

const JOLT_KEYS = [
  'a',
  'b',
  '*',
  '&',
  '&1',
  '@',
  '@(1,a)',
  '$',
  '#x',
  'a|b',
  '[]',
  '[#2]',
  'x.y',
  '*-*',
  '\\*',
  '=toUpper',
  '=concat(@(1,a),"-")',
  '=split(",",@(1,a))',
  '=size',
  '0',
  '-1',
];
const JOLT_VALUES = [
  'out',
  'out.&',
  'x[]',
  'x[&1]',
  '&1.&',
  '@(2,b)',
  '',
  '[#3]',
  'a.b.c.d',
  null,
  1,
  true,
];

function joltSpec(depth: number): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constantFrom(...JOLT_VALUES),
    fc.array(fc.constantFrom(...JOLT_VALUES), { maxLength: 2 }),
  );
  if (depth === 0) return leaf;
  return fc.oneof(
    leaf,
    fc.dictionary(fc.constantFrom(...JOLT_KEYS), joltSpec(depth - 1), { maxKeys: 3 }),
  );
}

/** The JOLT spec compiler: any spec compiles or is refused with a coded error; applying it likewise; < 1 s. */
export function joltTarget(): FuzzTarget<{ spec: unknown; input: string }> {
  const op = fc.record(
    {
      operation: fc.constantFrom(
        'shift',
        'default',
        'remove',
        'sort',
        'cardinality',
        'modify-overwrite-beta',
        'modify-default-beta',
        'modify-define-beta',
        'nope',
      ),
      spec: joltSpec(3),
    },
    { requiredKeys: ['operation'] },
  );
  return {
    name: 'JOLT spec compiler',
    arbitrary: fc.record({
      spec: fc.oneof(
        fc.array(op, { maxLength: 3 }),
        op,
        fc.json({ maxDepth: 3 }).map((t) => JSON.parse(t) as unknown),
      ),
      input: fc.json({ maxDepth: 4 }),
    }),
    async check({ spec, input }) {
      await bounded('jolt', () => {
        let chain;
        try {
          chain = compileChain(spec);
        } catch (err) {
          expectCoded(err, 'compileChain');
          return;
        }
        try {
          chain(JSON.parse(input) as JsonValue);
        } catch (err) {
          expectCoded(err, 'apply');
        }
      });
    },
  };
}

/** Runs `target` for `runs` inputs (or until `budgetMs`); returns how many ran. Throws on a violation. */
export async function runTarget<T>(
  target: FuzzTarget<T>,
  opts: { runs: number; seed: number; budgetMs?: number },
): Promise<{
  runs: number;
  ms: number;
  interrupted: boolean;
  /** slowest accepted input */ maxMs: number;
}> {
  const k = Math.max(1, target.concurrency ?? 1);
  let count = 0;
  slowest = 0;
  const one = async (input: T): Promise<void> => {
    count++;
    await target.check(input);
  };
  const property =
    k === 1
      ? fc.asyncProperty(target.arbitrary, one)
      : fc.asyncProperty(
          fc.array(target.arbitrary, { minLength: k, maxLength: k }),
          async (batch: T[]) => {
            await Promise.all(batch.map(one));
          },
        );
  const started = performance.now();
  const result = await fc.check(property as fc.IAsyncProperty<unknown>, {
    numRuns: Math.ceil(opts.runs / k),
    seed: opts.seed,
    interruptAfterTimeLimit: opts.budgetMs,
    markInterruptAsFailure: false,
    endOnFailure: true,
  });
  if (result.failed) {
    const cause = (result.errorInstance as Error | undefined)?.message ?? 'property failed';
    throw new Error(`${target.name}: ${cause}\n${fc.defaultReportMessage(result) ?? ''}`);
  }
  return {
    runs: count,
    ms: performance.now() - started,
    interrupted: result.interrupted,
    maxMs: slowest,
  };
}
