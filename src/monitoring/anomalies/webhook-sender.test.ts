// The alert sender against a real local receiver: signature, retries with backoff, bounded queue, dead webhooks.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Anomaly } from '../../store/anomaly-records.js';
import { WebhookSender } from './webhook-sender.js';

const anomaly = (id: string): Anomaly => ({
  id,
  environment: 'test',
  rule: 'token_multi_ip',
  subject: 'jti:j1',
  severity: 'high',
  realm: 'local',
  consumer: 'acme',
  jti: 'j1',
  clientIps: ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
  sampleExecutionKeys: ['k'],
  firstSeen: Date.UTC(2026, 0, 1),
  lastSeen: Date.UTC(2026, 0, 1, 0, 1),
  count: 3,
  status: 'open',
  response: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  updatedAt: 0,
});

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = null;
});

async function receiver(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('WebhookSender', () => {
  it('signs the exact body and retries a failing receiver until it accepts', async () => {
    const got: { status: number; body: string; sig: string; ts: string; event: string }[] = [];
    const url = await receiver((req, body, res) => {
      const status = got.length < 2 ? 503 : 204;
      got.push({
        status,
        body,
        sig: String(req.headers['x-pipegate-signature']),
        ts: String(req.headers['x-pipegate-timestamp']),
        event: String(req.headers['x-pipegate-event']),
      });
      res.writeHead(status).end();
    });
    const failures: number[] = [];
    const s = new WebhookSender({
      url,
      secret: 's3cret',
      baseDelayMs: 10,
      onFailure: (f) => failures.push(f.attempts),
    });
    s.enqueue(anomaly('a1'), 'opened');
    await until(() => s.delivered === 1);
    expect(got.map((g) => g.status)).toEqual([503, 503, 204]);
    expect(failures).toEqual([1, 2]);
    const last = got[2]!;
    expect(last.sig).toBe(
      `sha256=${createHmac('sha256', 's3cret').update(last.body).digest('hex')}`,
    );
    expect(Number(last.ts)).toBeGreaterThan(1_700_000_000);
    expect(last.event).toBe('anomaly.opened');
    expect(JSON.parse(last.body)).toEqual({
      id: 'a1',
      rule: 'token_multi_ip',
      severity: 'high',
      realm: 'local',
      environment: 'test',
      consumer: 'acme',
      jti: 'j1',
      clientIps: ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      count: 3,
      firstSeen: '2026-01-01T00:00:00.000Z',
      lastSeen: '2026-01-01T00:01:00.000Z',
      status: 'open',
    });
    await s.close();
  });

  it('gives up after maxAttempts and sends no signature without a secret', async () => {
    const sigs: unknown[] = [];
    const url = await receiver((req, _body, res) => {
      sigs.push(req.headers['x-pipegate-signature']);
      res.writeHead(500).end();
    });
    const s = new WebhookSender({ url, secret: null, baseDelayMs: 5, maxAttempts: 3 });
    s.enqueue(anomaly('a2'), 'resolved');
    await until(() => s.failed === 1);
    expect(sigs).toEqual([undefined, undefined, undefined]);
    expect(s.pending).toBe(0);
    await s.close();
  });

  it('a dead webhook never blocks: enqueue returns at once, the queue is bounded, close ends after its grace', async () => {
    const url = await receiver(() => undefined); // accepts, never answers
    const s = new WebhookSender({ url, secret: 'x', maxQueue: 3, timeoutMs: 60_000 });
    for (let i = 0; i < 5; i++) s.enqueue(anomaly(`d${i}`), 'opened');
    expect(s.dropped).toBe(2);
    expect(s.pending).toBe(3);
    await s.close(50);
    expect(s.delivered).toBe(0);
  });
});
