// GET /admin/events over real HTTP: an execution event after a request, topic filter, bounded subscribers, clean shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { echoPipeline, startHarness } from '../gateway/harness.js';
import type { Harness } from '../gateway/harness.js';

/** Reads an event stream until `until` matches the text so far (bounded by a deadline). */
async function readUntil(
  body: ReadableStream<Uint8Array>,
  until: (text: string) => boolean,
  deadlineMs = 8000,
): Promise<{ text: string; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const end = Date.now() + deadlineMs;
  // One read in flight at a time: a read abandoned to the timer would swallow the chunk it gets.
  let pending: ReturnType<typeof reader.read> | null = null;
  while (!until(text)) {
    if (Date.now() > end)
      throw new Error(`no matching event within ${deadlineMs} ms; got: ${text}`);
    pending ??= reader.read();
    const result = await Promise.race([
      pending,
      new Promise<null>((r) => setTimeout(() => r(null), 200)),
    ]);
    if (result === null) continue;
    pending = null;
    if (result.done) break;
    if (result.value) text += decoder.decode(result.value, { stream: true });
  }
  return { text, reader };
}

/** The JSON data of every `event: <name>` block. */
function events(text: string, name: string): unknown[] {
  return text
    .split('\n\n')
    .filter((b) => b.startsWith(`event: ${name}\n`))
    .map((b) => JSON.parse(b.split('\ndata: ')[1]!) as unknown);
}

describe('console live events', () => {
  let h: Harness;
  let auth: string;
  const open = (query = ''): Promise<Response> =>
    h.adminFetch(`/admin/events${query}`, { headers: { authorization: auth } });

  beforeAll(async () => {
    h = await startHarness(
      { 'echo.json': echoPipeline('echo', { methods: ['POST'] }) },
      { console: { events: { maxSubscribers: 2, overviewMs: 200, heartbeatMs: 300 } } },
    );
    const cred = (await ensureAdmin(h.gw.store))!;
    auth = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
  });
  afterAll(async () => h?.close());

  it('streams an execution event after a request, with heartbeats', async () => {
    const r = await open('?topics=execution,log');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const sent = await h.fetch('/pipeline/local/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(sent.status).toBe(200);
    const { text, reader } = await readUntil(
      r.body!,
      (t) => t.includes('event: execution') && t.includes(': heartbeat'),
    );
    await reader.cancel();
    const [execution] = events(text, 'execution') as Record<string, unknown>[];
    expect(execution).toMatchObject({
      pipeline: 'echo',
      version: '1.0',
      outcome: 'response',
      httpStatus: 200,
    });
    expect(typeof execution!.executionKey).toBe('string');
    // The list row: no messages.
    expect(execution).not.toHaveProperty('request');
    expect(events(text, 'overview')).toEqual([]);
  });

  it('sends the overview counters to overview subscribers', async () => {
    const r = await open('?topics=overview');
    const { text, reader } = await readUntil(r.body!, (t) => t.includes('event: overview'));
    await reader.cancel();
    expect(events(text, 'overview')[0]).toEqual({
      counters: { pipelines: 1, consumers: 0, accounts: 0, tokensIssuedToday: 0, openAnomalies: 0 },
    });
  });

  it('sends an anomaly event when an anomaly is acknowledged through the admin API', async () => {
    const { anomaly } = await h.gw.store.anomalies.raise(h.gw.environment, {
      rule: 'forged_token',
      subject: 'ip:127.0.0.9',
      severity: 'high',
      realm: 'local',
      consumer: null,
      jti: null,
      clientIps: ['127.0.0.9'],
      sampleExecutionKeys: [],
      firstSeen: Date.now(),
      lastSeen: Date.now(),
      windowCount: 1,
      newEvents: 1,
    });
    const r = await open('?topics=anomaly');
    const ack = await h.adminFetch(`/admin/anomalies/${anomaly.id}/ack`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ack.status).toBe(200);
    const { text, reader } = await readUntil(r.body!, (t) => t.includes('event: anomaly'));
    await reader.cancel();
    expect(events(text, 'anomaly')[0]).toMatchObject({ id: anomaly.id, status: 'acknowledged', acknowledgedBy: 'admin:admin' });
  });

  it('refuses unknown topics, more subscribers than the bound, and unauthenticated callers', async () => {
    const bad = await open('?topics=everything');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'ERR_CONSOLE_REQUEST' });
    expect((await h.adminFetch('/admin/events')).status).toBe(401);
    // EventSource cannot add headers: asking for an event stream is enough to get no Basic challenge.
    const es = await h.adminFetch('/admin/events', { headers: { accept: 'text/event-stream' } });
    expect(es.status).toBe(401);
    expect(es.headers.get('www-authenticate')).toBeNull();
    const a = await open();
    const b = await open();
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await open();
    expect(c.status).toBe(503);
    expect(await c.json()).toMatchObject({ code: 'ERR_CONSOLE_EVENTS_BUSY' });
    await a.body!.cancel();
    // A closed stream frees its slot.
    let again = 503;
    for (let i = 0; i < 40 && again === 503; i++) {
      const d = await open();
      again = d.status;
      if (again === 200) await d.body!.cancel();
      else await new Promise((res) => setTimeout(res, 50));
    }
    expect(again).toBe(200);
    await b.body!.cancel();
  });

  it('ends open streams when the gateway shuts down', async () => {
    const g = await startHarness({}, {});
    const cred = (await ensureAdmin(g.gw.store))!;
    const r = await g.adminFetch('/admin/events', {
      headers: {
        authorization: `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`,
      },
    });
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    await reader.read();
    const started = Date.now();
    await g.close();
    expect(Date.now() - started).toBeLessThan(5000);
    let done = false;
    for (let i = 0; i < 20 && !done; i++) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
