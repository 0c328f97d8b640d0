// The `pipegate serve --help` data: one line per option and examples (kept apart from serve.ts, which changes often).
import { CONFIG_ROWS } from '../../config/config-table.js';
import type { Command } from '../command.js';

/** Every flag of the settings table, described by its row (so a new row is documented at once). */
const tableOptions: Record<string, string> = Object.fromEntries(
  CONFIG_ROWS.filter((r) => r.flag !== null).map((r) => {
    const arg = r.text === 'boolean' ? '' : r.text === 'integer' ? ' N' : ' VALUE';
    const env = r.env ? ` (${r.env})` : '';
    return [`--${r.flag}${arg}`, `${r.description}${env}`];
  }),
);

export const serveHelp: Pick<Command, 'options' | 'examples'> = {
  options: {
    ...tableOptions,
    '--config FILE': 'pipegate.yaml to read (default ./pipegate.yaml; PIPEGATE_CONFIG)',
    '--retention-days N':
      'days executions, logs and usage events are kept (default 3 in test, 10 in prod)',
    '--no-record': 'do not record executions and pipeline logs (token usage is still recorded)',
    '--alert-secret S': 'HMAC key of the alert webhook signature (better: PIPEGATE_ALERT_SECRET)',
    '--anomaly-threshold RULE.PARAM=VALUE':
      'change an anomaly rule threshold, e.g. token_multi_ip.ips=4 (repeatable; docs/anomalies.md)',
    '--anomaly-response RULE=ACTION':
      'automatic response to a rule: revoke-token or disable-consumer (repeatable)',
    '--anomaly-detection on|off':
      'turn anomaly detection off (default on; PIPEGATE_ANOMALY_DETECTION)',
    '--demo': 'create a demo consumer and print the five-minute walkthrough',
  },
  examples: [
    'pipegate serve examples/jwt-auth --demo',
    'pipegate serve pipelines --port 8080 --host 0.0.0.0 --public-url https://api.example.com',
    'pipegate serve --config deploy/pipegate.yaml --admin-port 0',
    'pipegate serve pipelines --workers auto --store postgres://db.internal/pipegate --redis redis://cache.internal:6379',
  ],
};
