// ExecutionMonitor: what a finished execution queues (record and log lines) and which live events it builds.
import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../core/engine/index.js';
import { sensitiveNameSet } from '../core/engine/index.js';
import { redactRecorded } from '../core/engine/record-redaction.js';
import type { Store } from '../store/store.js';
import {
  ExecutionMonitor,
  type FinishedExecution,
  type MonitorEvent,
} from './execution-monitor.js';
import type { NewExecution, NewLogLine } from './execution-record.js';
import { createGatewayMetrics } from './metrics.js';

function fakeStore(written: { executions: NewExecution[]; lines: NewLogLine[] }): Store {
  return {
    executions: {
      insertBatch: async (_env: string, records: NewExecution[], lines: NewLogLine[] = []) => {
        written.executions.push(...records);
        written.lines.push(...lines);
      },
    },
  } as unknown as Store;
}

const names = sensitiveNameSet([]);

function finished(key: string, warnings: string[], unexpected: boolean): FinishedExecution {
  const result: ExecutionResult = {
    executionKey: key,
    status: unexpected ? 'error' : 'success',
    output: { ok: true, password: 'hunter22' },
    startedAt: 1_796_200_000_000,
    durationMs: 1.5,
    logs: [
      {
        timestamp: 1_796_200_000_001,
        level: 'INFO',
        message: 'one',
        executionKey: key,
        pipeline: 'p',
        step: '/steps/0',
      },
      {
        timestamp: 1_796_200_000_002,
        level: 'WARN',
        message: 'two',
        executionKey: key,
        pipeline: 'p',
        step: '/steps/1',
      },
    ],
    responseHeaders: {},
    metadata: {},
    redact: (values, texts) => redactRecorded(values, names, new Set(), texts),
  };
  return {
    pipeline: { name: 'p', versionMajor: 1, versionMinor: 2 },
    realm: 'local',
    method: 'GET',
    route: '/r',
    consumer: 'c',
    jti: null,
    clientIp: '127.0.0.1',
    request: { headers: { host: 'h' } },
    result,
    httpStatus: unexpected ? 500 : 200,
    warnings,
    unexpected,
  };
}

describe('ExecutionMonitor', () => {
  it('queues the record and its log lines in order (engine lines, warnings, the unexpected-failure line)', async () => {
    const written = { executions: [] as NewExecution[], lines: [] as NewLogLine[] };
    const monitor = new ExecutionMonitor(fakeStore(written), 'env', createGatewayMetrics());
    monitor.finished(finished('k1', ['w1', 'w2'], true));
    monitor.finished(finished('k2', [], false));
    await monitor.close();
    expect(written.executions.map((e) => [e.executionKey, e.requestText, e.responseText])).toEqual([
      ['k1', '{"headers":{"host":"h"}}', '{"ok":true,"password":"***"}'],
      ['k2', '{"headers":{"host":"h"}}', '{"ok":true,"password":"***"}'],
    ]);
    const common = { pipeline: 'p', realm: 'local', versionMajor: 1, versionMinor: 2 };
    expect(written.lines).toEqual([
      {
        ...common,
        executionKey: 'k1',
        level: 'INFO',
        message: 'one',
        timestamp: 1_796_200_000_001,
        step: '/steps/0',
      },
      {
        ...common,
        executionKey: 'k1',
        level: 'WARN',
        message: 'two',
        timestamp: 1_796_200_000_002,
        step: '/steps/1',
      },
      {
        ...common,
        executionKey: 'k1',
        level: 'WARN',
        message: 'w1',
        timestamp: 1_796_200_000_002,
        step: null,
      },
      {
        ...common,
        executionKey: 'k1',
        level: 'WARN',
        message: 'w2',
        timestamp: 1_796_200_000_002,
        step: null,
      },
      {
        ...common,
        executionKey: 'k1',
        level: 'ERROR',
        message: 'execution failed unexpectedly (ERR_EXECUTION_INTERNAL)',
        timestamp: 1_796_200_000_002,
        step: null,
      },
      {
        ...common,
        executionKey: 'k2',
        level: 'INFO',
        message: 'one',
        timestamp: 1_796_200_000_001,
        step: '/steps/0',
      },
      {
        ...common,
        executionKey: 'k2',
        level: 'WARN',
        message: 'two',
        timestamp: 1_796_200_000_002,
        step: '/steps/1',
      },
    ]);
  });

  it('builds live events only of kinds some listener wants (every listener gets those built)', async () => {
    const written = { executions: [] as NewExecution[], lines: [] as NewLogLine[] };
    const monitor = new ExecutionMonitor(fakeStore(written), 'env', createGatewayMetrics());
    const kinds = (events: MonitorEvent[]) => events.map((e) => e.kind);
    const none: MonitorEvent[] = [];
    monitor.subscribe(
      (e) => none.push(e),
      () => false,
    );
    monitor.finished(finished('k1', [], false));
    expect(none).toEqual([]);

    const logs: MonitorEvent[] = [];
    const offLogs = monitor.subscribe(
      (e) => logs.push(e),
      (kind) => kind === 'log',
    );
    monitor.finished(finished('k2', [], false));
    expect(kinds(logs)).toEqual(['log', 'log']);
    expect(kinds(none)).toEqual(['log', 'log']);
    offLogs();

    const all: MonitorEvent[] = [];
    monitor.subscribe((e) => all.push(e));
    monitor.finished(finished('k3', ['w'], false));
    expect(kinds(all)).toEqual(['execution', 'log', 'log', 'log']);
    const first = all[0]!;
    expect(first.kind === 'execution' && first.record).toMatchObject({
      executionKey: 'k3',
      request: { headers: { host: 'h' } },
      response: { ok: true, password: '***' },
    });
    expect(logs).toHaveLength(2);
    await monitor.close();
    expect(written.executions.map((e) => e.executionKey)).toEqual(['k1', 'k2', 'k3']);
  });
});
