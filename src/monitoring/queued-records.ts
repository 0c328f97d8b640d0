// The queued forms of an execution record and of a log line: class instances, not object literals.
import type { NewExecution, NewLogLine } from './execution-record.js';
import type { FinishedExecution, RecordedExecution } from './execution-monitor.js';

/*
 * Queued records live until their batch is written, long enough to survive scavenges: V8 then
 * pretenures an object literal's allocation site (its objects are allocated in the old generation
 * from then on), and every field store of a new string into such an object takes the write
 * barrier's slow path (a remembered-set entry per field). In the gateway's profile the execution
 * literal alone was half of the recording path's own time. Objects built by a constructor are not
 * pretenured: they are allocated young and copied if they survive.
 */

/** An execution record as queued (fields as NewExecution; the message values are not kept). */
export class QueuedExecution implements NewExecution {
  declare readonly executionKey: string;
  declare readonly pipeline: string;
  declare readonly versionMajor: number;
  declare readonly versionMinor: number;
  declare readonly status: string;
  declare readonly errorCode: string | null;
  declare readonly startedAt: number;
  declare readonly durationMs: number;
  declare readonly request: null;
  declare readonly response: null;
  declare readonly requestText: string | null;
  declare readonly responseText: string | null;
  declare readonly realm: string;
  declare readonly outcome: 'response' | 'error';
  declare readonly httpStatus: number;
  declare readonly method: string;
  declare readonly route: string;
  declare readonly consumer: string | null;
  declare readonly jti: string | null;
  declare readonly clientIp: string;
  declare readonly endedAt: number;
  declare readonly requestBytes: number;
  declare readonly responseBytes: number;

  constructor(
    f: FinishedExecution,
    outcome: 'response' | 'error',
    endedAt: number,
    request: { text: string | null; bytes: number },
    response: { text: string | null; bytes: number },
  ) {
    const r = f.result;
    // Assigned in NewExecution's column order (one hidden class for every record).
    this.executionKey = r.executionKey;
    this.pipeline = f.pipeline.name;
    this.versionMajor = f.pipeline.versionMajor;
    this.versionMinor = f.pipeline.versionMinor;
    this.status = r.status;
    this.errorCode = r.error?.code ?? null;
    this.startedAt = r.startedAt;
    this.durationMs = r.durationMs;
    this.request = null;
    this.response = null;
    this.requestText = request.text;
    this.responseText = response.text;
    this.realm = f.realm;
    this.outcome = outcome;
    this.httpStatus = f.httpStatus;
    this.method = f.method;
    this.route = f.route;
    this.consumer = f.consumer;
    this.jti = f.jti;
    this.clientIp = f.clientIp;
    this.endedAt = endedAt;
    this.requestBytes = request.bytes;
    this.responseBytes = response.bytes;
  }
}

/** A log line as queued. */
export class QueuedLogLine implements NewLogLine {
  constructor(
    readonly executionKey: string,
    readonly pipeline: string,
    readonly realm: string,
    readonly versionMajor: number,
    readonly versionMinor: number,
    readonly level: string,
    readonly message: string,
    readonly timestamp: number,
    readonly step: string | null,
  ) {}
}

/** An execution with its log lines, as the monitor's queue holds them. */
export class QueuedRecord implements RecordedExecution {
  constructor(
    readonly execution: NewExecution,
    readonly logs: NewLogLine[],
  ) {}
}
