// Issue 18 item 1: the checked-in corpus of requests that once got a 500 (or a dropped socket, or a stack in the log).
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumer, echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

interface CorpusCase {
  name: string;
  request: string;
  /** Expected status; null when the client leaves mid-request (nothing to read, nothing logged as error). */
  status: number | null;
  allow?: string;
  body?: unknown;
}

const corpus = JSON.parse(
  readFileSync(new URL('./fuzz-corpus/client-errors.json', import.meta.url), 'utf8'),
) as { cases: CorpusCase[] };

/** Sends raw bytes; resolves with what came back once the server closes (or after `leaveAfterMs`, closing first). */
export function rawRequest(url: string, text: string, leaveAfterMs = 300): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(u.port), u.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', () => undefined);
    socket.write(text, 'latin1');
    // A request the server waits on (incomplete body) ends with the client leaving.
    setTimeout(() => socket.destroy(), leaveAfterMs).unref();
  });
}

function parse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: raw.slice(end + 4) };
}

describe('client-caused errors (fuzz corpus)', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness({ 'keyed.json': echoPipeline('keyed', { auth: { apiKey: true } }) });
    key = await consumer(h, 'acme');
  });
  afterAll(async () => h?.close());

  for (const c of corpus.cases) {
    it(`${c.name} → ${c.status ?? 'client leaves'}`, async () => {
      const from = h.logs.length;
      const text = c.request
        .replaceAll('{{KEY}}', key)
        .replaceAll('{{PIPE}}', '/pipeline/local/v1/keyed');
      const raw = await rawRequest(h.gw.url, text);
      if (c.status !== null) {
        expect(raw).not.toBe('');
        const res = parse(raw);
        expect(res.status).toBe(c.status);
        if (c.allow !== undefined) expect(res.headers['allow']).toBe(c.allow);
        if (res.headers['content-type']?.startsWith('application/json'))
          expect(typeof (JSON.parse(res.body) as { message: unknown }).message).toBe('string');
        if (c.body !== undefined) expect(JSON.parse(res.body)).toEqual(c.body);
      }
      // Give the server the moment it needs to notice a client that left, then read its log.
      await new Promise((r) => setTimeout(r, 50));
      const lines = h.logs.slice(from).map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
      expect(lines.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);
      expect(lines.filter((l) => l.msg !== 'request completed').length).toBeLessThanOrEqual(1);
    });
  }

  it('still serves normal requests after the corpus', async () => {
    const res = await h.fetch('/pipeline/local/v1/keyed', {
      method: 'POST',
      headers: { apikey: key, 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
  });
});
