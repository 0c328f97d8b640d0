// Starts `pipegate serve --workers N` as a real process (the built CLI) and reads what its primary prints.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');
const bin = join(repo, 'bin/pipegate.js');

/** A running `serve` process. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  adminUrl: string | null;
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves once stderr matches `re` (bounded by the test timeout). */
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
  let err = '';
  const waiters: { re: RegExp; resolve(m: RegExpExecArray): void }[] = [];
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.stdout!.resume();
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    for (const w of [...waiters]) {
      const m = w.re.exec(err);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const waitFor = (re: RegExp): Promise<RegExpExecArray> => {
    const m = re.exec(err);
    if (m) return Promise.resolve(m);
    return new Promise((r) => waiters.push({ re, resolve: r }));
  };
  return new Promise((resolveServe, reject) => {
    child.once('error', reject);
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    void waitFor(/serving on (http:\/\/[^\s]+) /).then((m) => {
      const admin = /Admin API +(http:\/\/[^\s]+)\/admin/.exec(err);
      resolveServe({
        child,
        url: m[1]!,
        adminUrl: admin?.[1] ?? null,
        stderr: () => err,
        exit,
        waitFor,
        workerPids: () => [...err.matchAll(/worker \d+ started \(pid (\d+)\)/g)].map((x) => Number(x[1])),
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
