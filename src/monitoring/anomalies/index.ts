// Anomaly detection on token use (docs/anomalies.md): settings, detector, alerts.
export * from './anomaly-settings.js';
export * from './anomaly-detection.js';
export { AnomalyDetector, BUCKET_MS } from './detector.js';
export { alertBody, signBody, WebhookSender } from './webhook-sender.js';
export type { AlertBody } from './webhook-sender.js';
export { anomalyJson } from './anomaly-json.js';
export { parseAnomalyFilters, parseWhen } from './anomaly-query.js';
export type { AnomalyFilterText } from './anomaly-query.js';
