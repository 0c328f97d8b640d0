// Anomaly detection on a gateway node: the detector's timers, automatic responses, alert dispatch, listeners.
import type { Anomaly, AnomalyRule } from '../../store/anomaly-records.js';
import type { NewTokenUsageEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { UsageRecorder } from '../../security/tokens/token-service.js';
import type { AnomalySettings, AutoResponse } from './anomaly-settings.js';
import { AnomalyDetector } from './detector.js';
import { WebhookSender } from './webhook-sender.js';

/** Called once per anomaly this node opens: e.g. the lead's `pipegate_anomalies_total{rule}` counter. */
export type AnomalyListener = (rule: AnomalyRule, anomaly: Anomaly) => void;

export interface AnomalyDetectionOptions {
  store: Store;
  environment: string;
  realm: string;
  settings: AnomalySettings;
  /** Revokes one token (the token service of the node); used by the `revoke-token` response. */
  revokeToken(jti: string): Promise<void>;
  log: { warn(details: Record<string, unknown>, msg: string): void };
  /** Detection period (default 500 ms): an anomaly is raised within about two periods. */
  tickMs?: number;
  /** Alert outbox poll period (default 1000 ms). */
  alertPollMs?: number;
}

/** The running detection of one node. */
export interface AnomalyDetection {
  /** Counts one usage event (what the usage recorder tee calls on the request path). */
  observe(e: NewTokenUsageEvent): void;
  /** Runs one detection step now (tests, shutdown). */
  tick(): Promise<void>;
  /** Polls the alert outbox now. */
  dispatchAlerts(): Promise<void>;
  /** Registers a listener for anomalies this node opens. */
  onAnomaly(listener: AnomalyListener): void;
  readonly detector: AnomalyDetector;
  readonly sender: WebhookSender | null;
  /** Final detection step, alert grace period, timers stopped. */
  close(): Promise<void>;
}

/** A usage recorder that also feeds the detector. */
export function teeUsageRecorder<R extends UsageRecorder>(
  recorder: R,
  detection: AnomalyDetection,
): R {
  // Own properties over the recorder as prototype (its members may be read-only: assignment would throw).
  return Object.defineProperties(Object.create(recorder) as R, {
    record: {
      value(e: NewTokenUsageEvent): void {
        recorder.record(e);
        detection.observe(e);
      },
    },
    flush: { value: () => recorder.flush() },
    close: { value: () => recorder.close() },
  });
}

async function respond(
  o: AnomalyDetectionOptions,
  a: Anomaly,
  action: AutoResponse,
): Promise<boolean> {
  if (action === 'revoke-token') {
    if (!a.jti) return false;
    await o.revokeToken(a.jti);
    return true;
  }
  if (!a.consumer) return false;
  const c = await o.store.consumers.getByName(o.environment, a.consumer);
  if (!c) return false;
  await o.store.consumers.update(o.environment, c.id, { enabled: false });
  return true;
}

/** Starts the detector's timers and, with a webhook, the alert dispatcher. */
export function startAnomalyDetection(o: AnomalyDetectionOptions): AnomalyDetection {
  const listeners: AnomalyListener[] = [];
  const warn = (err: unknown, msg: string): void =>
    o.log.warn({ code: (err as { code?: string }).code ?? 'ERR_INTERNAL' }, msg);
  const detector = new AnomalyDetector({
    store: o.store,
    environment: o.environment,
    realm: o.realm,
    settings: o.settings,
    onError: (err) => warn(err, 'anomaly response failed'),
    async onRaised(anomaly, created) {
      if (!created) return;
      for (const l of listeners) l(anomaly.rule, anomaly);
      const action = o.settings.responses[anomaly.rule];
      if (action && (await respond(o, anomaly, action)))
        await o.store.anomalies.setResponse(o.environment, anomaly.id, action);
    },
  });
  const { webhook, secret } = o.settings.alerts;
  const sender = webhook
    ? new WebhookSender({
        url: webhook,
        secret,
        onFailure: (f) =>
          o.log.warn(
            { anomaly: f.id, attempts: f.attempts, status: f.status, gaveUp: f.gaveUp },
            'alert webhook delivery failed',
          ),
      })
    : null;
  // Alerts for anomalies changed before this node started are another node's (or nobody's) to send.
  const alertsSince = Date.now() - 60_000;

  let ticking: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    ticking ??= detector
      .tick()
      .catch((err) => warn(err, 'anomaly detection step failed'))
      .finally(() => {
        ticking = null;
      });
    return ticking;
  };
  let polling: Promise<void> | null = null;
  const dispatchAlerts = (): Promise<void> => {
    if (!sender) return Promise.resolve();
    polling ??= (async () => {
      const claimed = await o.store.anomalies.claimAlerts(o.environment, alertsSince, 100);
      for (const c of claimed) sender.enqueue(c.anomaly, c.kind);
    })()
      .catch((err) => warn(err, 'alert outbox poll failed'))
      .finally(() => {
        polling = null;
      });
    return polling;
  };
  const timers = [
    setInterval(() => void tick(), o.tickMs ?? 500),
    setInterval(
      () => void detector.purge().catch((err) => warn(err, 'anomaly window purge failed')),
      60_000,
    ),
  ];
  if (sender) timers.push(setInterval(() => void dispatchAlerts(), o.alertPollMs ?? 1000));
  for (const t of timers) t.unref();

  return {
    observe: (e) => detector.observe(e),
    tick,
    dispatchAlerts,
    onAnomaly: (l) => void listeners.push(l),
    detector,
    sender,
    async close() {
      for (const t of timers) clearInterval(t);
      await tick();
      await tick();
      await dispatchAlerts();
      await sender?.close();
    },
  };
}
