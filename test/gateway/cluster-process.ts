// Starts `pipegate serve --workers N` as a real process (the built CLI) and reads what it prints: JSON
// records on stdout (the primary's and the workers'), nothing on stderr unless it fails to start.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { serveRecords } from '../support/serve-output.js';

const repo = resolve(import.meta.dirname, '../..');
const bin = join(repo, 'bin/pipegate.js');

/** A running `serve` process. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  adminUrl: string | null;
  /** Everything printed so far (stdout's JSON lines, then anything on stderr). */
  output: () => string;
  /** The JSON records printed so far. */
  records: () => Record<string, unknown>[];
  exit: Promise<number | null>;
  /** Resolves once the output matches `re` (bounded by the test timeout). */
  waitFor(re: RegExp): Promise<RegExpExecArray>;
  /** Pids of the workers the primary started, in order (replacements included). */
  workerPids(): number[];
}

/** Starts `pipegate serve ARGS…`; resolves once every worker listens (the banner is printed). */
export function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve(m: RegExpExecArray): void }[] = [];
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const output = (): string => out + err;
  const wake = (): void => {
    for (const w of [...waiters]) {
      const m = w.re.exec(output());
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    wake();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    wake();
  });
  const waitFor = (re: RegExp): Promise<RegExpExecArray> => {
    const m = re.exec(output());
    if (m) return Promise.resolve(m);
    return new Promise((r) => waiters.push({ re, resolve: r }));
  };
  const records = (): Record<string, unknown>[] => serveRecords(out);
  return new Promise((resolveServe, reject) => {
    child.once('error', reject);
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${output()}`)));
    // The banner's last record: every record before it (serving, admin API, …) is out by then.
    void waitFor(/"msg":"token usage"/).then(() => {
      const serving = records().find((r) => r.msg === 'serving')!;
      const admin = records().find((r) => r.msg === 'admin API');
      resolveServe({
        child,
        url: String(serving.url),
        adminUrl: typeof admin?.url === 'string' ? admin.url.replace(/\/admin$/, '') : null,
        output,
        records,
        exit,
        waitFor,
        workerPids: () =>
          records()
            .map((r) => /^worker \d+ started \(pid (\d+)\)/.exec(String(r.msg)))
            .filter((m) => m !== null)
            .map((m) => Number(m[1])),
      });
    });
  });
}

/** One request on a new connection (no keep-alive), so round robin spreads requests over workers. */
export function freshRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolveReq, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolveReq({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
