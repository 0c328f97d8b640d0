// `pipegate serve --workers N`: a primary that does the first-start work once, forks N workers serving
// the same ports, replaces crashed ones with backoff, aggregates /metrics and drains them all on SIGTERM.
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry } from 'prom-client';
import { PlatformError } from '../../errors/index.js';
import { prepareGateway } from '../../gateway/index.js';
import type { GatewayOptions } from '../../gateway/index.js';
import type { LogLevelName, ServeOutput } from '../serve-output.js';
import { EXIT } from '../command.js';

/** Messages between the primary and its workers. */
export type ClusterMessage =
  | { type: 'pipegate:ready'; url: string; adminUrl: string | null; internalUrl: string | null }
  | { type: 'pipegate:shutdown' }
  | { type: 'pipegate:metrics-req'; id: number }
  | { type: 'pipegate:metrics-res'; id: number; text: string; error?: string };

/** `workers` of the options: a positive integer, or `auto` (available cores). */
export function resolveWorkers(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (value === 'auto') return availableParallelism();
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new PlatformError('ERR_GATEWAY_CONFIG', {
      option: 'workers',
      reason: `"${String(value)}" is not a number of processes (1-1024) or auto`,
    });
  return n;
}

/** Backoff before replacing a crashed worker: 100 ms doubling per crash in a row, at most 10 s. */
export function replacementDelayMs(crashesInARow: number): number {
  return Math.min(100 * 2 ** Math.max(0, crashesInARow - 1), 10_000);
}

/** A worker that lived this long resets the crash streak. */
const STABLE_MS = 10_000;
/** Longest wait for a worker to drain after SIGTERM before it is killed. */
const DRAIN_LIMIT_MS = 60_000;

function isMessage(m: unknown): m is ClusterMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

/** What the primary reports once every worker listens (the banner, the demo walkthrough). */
export interface ClusterReady {
  url: string;
  adminUrl: string | null;
  internalUrl: string | null;
}

/**
 * Runs the primary. `firstStart` runs after `prepareGateway` with its store (admin credential, demo
 * consumer) and returns text to print once the workers listen. Resolves with the exit code after
 * SIGTERM/SIGINT once every worker has drained (records flushed, store closed) and exited.
 */
export async function runClusterPrimary(
  options: GatewayOptions,
  workers: number,
  out: Pick<ServeOutput, 'log'>,
  hooks: {
    firstStart(
      prepared: Awaited<ReturnType<typeof prepareGateway>>,
    ): Promise<(ready: ClusterReady) => void>;
    banner(ready: ClusterReady): void;
  },
): Promise<number> {
  // The primary's records go to the same output, in the same format, as the workers' (one stream).
  const line = (text: string, level: LogLevelName = 'info'): void =>
    out.log(level, text, { role: 'primary' });
  const prepared = await prepareGateway(options, (msg, d) =>
    out.log('info', msg, { role: 'primary', ...d }),
  );
  let afterReady: (ready: ClusterReady) => void;
  try {
    afterReady = await hooks.firstStart(prepared);
  } finally {
    await prepared.store.close();
  }
  // Connections are handed out by Node's default policy (round robin through the primary on Linux;
  // NODE_CLUSTER_SCHED_POLICY=none lets the kernel do it): on the shared test machine neither was
  // measurably better across runs (bench/scale-out.md).
  const aggregator = new AggregatorRegistry();
  let stopping: string | null = null;
  let crashesInARow = 0;
  const started = new Map<Worker, number>();
  const replacements = new Set<NodeJS.Timeout>();
  /** Set once the first workers are up: later ready messages are replacements, logged. */
  let replacing = false;

  const fork = (): Worker => {
    const w = cluster.fork({ PIPEGATE_CLUSTER_WORKER: '1' });
    started.set(w, Date.now());
    line(`worker ${w.id} started (pid ${w.process.pid})`);
    w.on('message', (m: unknown) => {
      if (isMessage(m) && m.type === 'pipegate:ready' && stopping === null && replacing)
        line(`worker ${w.id} ready`);
      if (!isMessage(m) || m.type !== 'pipegate:metrics-req') return;
      aggregator.clusterMetrics().then(
        (text) => w.isConnected() && w.send({ type: 'pipegate:metrics-res', id: m.id, text }),
        (err: Error) =>
          w.isConnected() &&
          w.send({ type: 'pipegate:metrics-res', id: m.id, text: '', error: err.message }),
      );
    });
    return w;
  };

  // Start: every worker must report ready; one failing before that fails the start (its own error
  // is on stderr, e.g. ERR_GATEWAY_LISTEN).
  const firstReady = await new Promise<ClusterReady>((resolve, reject) => {
    let ready = 0;
    let first: ClusterReady | null = null;
    const onMessage = (_w: Worker, m: unknown): void => {
      if (!isMessage(m) || m.type !== 'pipegate:ready') return;
      first ??= { url: m.url, adminUrl: m.adminUrl, internalUrl: m.internalUrl };
      if (++ready === workers) {
        cleanup();
        resolve(first);
      }
    };
    const onExit = (w: Worker, code: number | null, signal: string | null): void => {
      cleanup();
      for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
      reject(
        new PlatformError('ERR_GATEWAY_CONFIG', {
          option: 'workers',
          reason: `worker ${w.id} exited during start (${signal ?? `code ${code}`}); see its error above`,
        }),
      );
    };
    const cleanup = (): void => {
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
    };
    cluster.on('message', onMessage);
    cluster.on('exit', onExit);
    for (let i = 0; i < workers; i++) fork();
  });

  replacing = true;
  cluster.on('exit', (w, code, signal) => {
    const lived = Date.now() - (started.get(w) ?? Date.now());
    started.delete(w);
    if (stopping) return;
    crashesInARow = lived >= STABLE_MS ? 1 : crashesInARow + 1;
    const delay = replacementDelayMs(crashesInARow);
    line(
      `worker ${w.id} (pid ${w.process.pid}) exited (${signal ?? `code ${code}`}) after ${Math.round(lived / 1000)} s; starting a replacement in ${delay} ms`,
      'warn',
    );
    const t = setTimeout(() => {
      replacements.delete(t);
      if (!stopping) fork();
    }, delay);
    replacements.add(t);
  });

  afterReady(firstReady);
  hooks.banner(firstReady);
  line(`${workers} workers serving; SIGTERM drains them all`);

  const signal = await new Promise<string>((resolve) => {
    const on = (sig: string) => () => {
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
      resolve(sig);
    };
    const term = on('SIGTERM');
    const int = on('SIGINT');
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
  });
  stopping = signal;
  for (const t of replacements) clearTimeout(t);
  out.log('info', 'stopping', {
    signal,
    detail: `draining ${started.size} workers (in-flight requests, usage and monitoring records)`,
  });
  let failed = 0;
  await Promise.all(
    [...started.keys()].map(
      (w) =>
        new Promise<void>((resolve) => {
          const kill = setTimeout(() => {
            line(
              `worker ${w.id} did not drain within ${DRAIN_LIMIT_MS / 1000} s; killing it`,
              'warn',
            );
            w.process.kill('SIGKILL');
          }, DRAIN_LIMIT_MS);
          w.once('exit', (code) => {
            clearTimeout(kill);
            if (code !== 0) failed++;
            resolve();
          });
          if (w.isConnected()) w.send({ type: 'pipegate:shutdown' });
          else w.process.kill('SIGTERM');
        }),
    ),
  );
  out.log('info', 'stopped', { signal });
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

/** In a worker: asks the primary for the metrics of every worker, aggregated. */
export function clusterMetricsFromPrimary(): () => Promise<string> {
  let next = 0;
  const waiting = new Map<number, { resolve(t: string): void; reject(e: Error): void }>();
  process.on('message', (m: unknown) => {
    if (!isMessage(m) || m.type !== 'pipegate:metrics-res') return;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(new Error(m.error));
    else w?.resolve(m.text);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      process.send!({ type: 'pipegate:metrics-req', id } satisfies ClusterMessage);
    });
}

/** In a worker: resolves when the primary asks it to drain, the primary went away, or a signal came. */
export function workerStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => (): void => {
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      resolve(why);
    };
    const term = done('SIGTERM');
    const int = done('SIGINT');
    const onDisconnect = done('primary gone');
    const shutdown = done('shutdown');
    const onMessage = (m: unknown): void => {
      if (isMessage(m) && m.type === 'pipegate:shutdown') shutdown();
    };
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
  });
}
