// serve's output: JSON lines for a log collector, human lines on a terminal, never a mix.
import { describe, expect, it } from 'vitest';
import { logRecord, prettyLine, serveOutput } from './serve-output.js';

describe('serveOutput', () => {
  it('without a terminal: the gateway records pass through and serve writes pino-shaped JSON lines', () => {
    const out: string[] = [];
    const o = serveOutput((t) => out.push(t), false);
    o.stream.write('{"level":30,"time":1,"msg":"deployment loaded","pipeline":"p"}\n');
    o.log('info', 'serving', { url: 'http://127.0.0.1:1' });
    o.log('warn', 'admin credential created', { user: 'admin' });
    const lines = out.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const recs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs[1]).toMatchObject({
      level: 30,
      msg: 'serving',
      url: 'http://127.0.0.1:1',
      pid: process.pid,
    });
    expect(recs[2]).toMatchObject({ level: 40, msg: 'admin credential created' });
    expect(Object.keys(recs[1]!).slice(0, 4)).toEqual(['level', 'time', 'pid', 'hostname']);
  });

  it("on a terminal: every record, the gateway's included, becomes one human line", () => {
    const out: string[] = [];
    const o = serveOutput((t) => out.push(t), true);
    // A record may arrive in pieces.
    o.stream.write('{"level":40,"time":0,"msg":"slow');
    o.stream.write(' store","ms":12}\n{"level":30,"time":0,"msg":"x"}\n');
    o.log('info', 'token usage', { command: 'pipegate tokens usage --since 15m' });
    const lines = out.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}slow store ms=12$/);
    expect(lines[2]).toMatch(/INFO {2}token usage command="pipegate tokens usage --since 15m"$/);
    for (const l of lines) expect(l.startsWith('{')).toBe(false);
  });

  it('prettyLine leaves a line that is not a JSON object as it is', () => {
    expect(prettyLine('plain text')).toBe('plain text');
    expect(prettyLine('[1]')).toBe('[1]');
    expect(
      prettyLine(logRecord('error', 'boom', { code: 'ERR_X', nested: { a: 1 } }).trimEnd()),
    ).toMatch(/ERROR boom code=ERR_X nested=\{"a":1\}$/);
  });
});

describe('serveOutput without a terminal: records of one event-loop turn in one write', () => {
  it('holds the gateway records until the turn ends, then writes them together, in order', async () => {
    const writes: string[] = [];
    const o = serveOutput((t) => writes.push(t), false);
    for (let i = 0; i < 5; i++)
      o.stream.write(`{"level":30,"time":${i},"msg":"request completed"}\n`);
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(1);
    expect(
      writes[0]!
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { time: number }).time),
    ).toEqual([0, 1, 2, 3, 4]);
  });

  it("serve's own record and flush() write what is held first: the order of the lines is kept", () => {
    const writes: string[] = [];
    const o = serveOutput((t) => writes.push(t), false);
    o.stream.write('{"level":30,"time":1,"msg":"a"}\n');
    o.log('info', 'stopping');
    o.stream.write('{"level":30,"time":2,"msg":"b"}\n');
    o.flush();
    const msgs = writes
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).toEqual(['a', 'stopping', 'b']);
  });

  it('writes at once past 64 KiB held (a burst never holds more than that)', () => {
    const writes: string[] = [];
    const o = serveOutput((t) => writes.push(t), false);
    const line = `${JSON.stringify({ level: 30, msg: 'x'.repeat(1000) })}\n`;
    for (let i = 0; i < 70; i++) o.stream.write(line);
    expect(writes.length).toBe(1);
    expect(writes[0]!.length).toBeGreaterThanOrEqual(64 * 1024);
    o.flush();
    expect(writes.join('')).toBe(line.repeat(70));
  });
});
