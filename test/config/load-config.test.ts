// pipegate.yaml: precedence (file < PIPEGATE_* < flags), file:line:col errors, secrets, the schema and `config show`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ROWS, ConfigInvalidError, configSchema, gatewayOptionsFrom, loadConfig } from '../../src/config/index.js';
import { resolveGatewayConfig } from '../../src/gateway/gateway-config.js';
import { DEFAULT_LIFETIME_MS, DEFAULT_MAX_LIFETIME_MS } from '../../src/security/tokens/claims-policy.js';
import { DEFAULT_SIGNING_ALGORITHM } from '../../src/security/signing-keys.js';
import { cli } from '../cli/cli-support.js';

function project(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-config-'));
  writeFileSync(join(dir, 'pipegate.yaml'), yaml);
  return dir;
}

async function invalid(yaml: string): Promise<ConfigInvalidError> {
  const dir = project(yaml);
  const err = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigInvalidError);
  return err as ConfigInvalidError;
}

describe('pipegate.yaml precedence', () => {
  it('takes the file, then PIPEGATE_* variables, then flags, and says where each value came from', async () => {
    const dir = project('realm: acme\nlisteners:\n  main:\n    port: 9000\n    host: 0.0.0.0\ntokenPolicy:\n  leewaySec: 10\n');
    const cfg = await loadConfig({
      cwd: dir,
      env: { PIPEGATE_PORT: '9100', PIPEGATE_HOST: '127.0.0.2' },
      flags: { port: '9200' },
    });
    const entry = (k: string) => cfg.entries.find((e) => e.row.key === k)!;
    expect(cfg.file).toBe(join(dir, 'pipegate.yaml'));
    expect(entry('realm')).toMatchObject({ value: 'acme', source: { kind: 'file', line: 1, column: 8 } });
    expect(entry('listeners.main.port')).toMatchObject({ value: 9200, source: { kind: 'flag', name: '--port' } });
    expect(entry('listeners.main.host')).toMatchObject({ value: '127.0.0.2', source: { kind: 'env', name: 'PIPEGATE_HOST' } });
    expect(entry('environment')).toMatchObject({ value: 'test', source: { kind: 'default' } });
    expect(gatewayOptionsFrom(cfg)).toMatchObject({ realm: 'acme', port: 9200, host: '127.0.0.2', tokenPolicy: { leewaySec: 10 } });
    expect(gatewayOptionsFrom(cfg)).not.toHaveProperty('environment');
  });

  it('reads --config FILE and resolves relative paths against the file’s folder', async () => {
    const dir = project('pipelines: [flows]\nstore: { dataDir: state }\n');
    const cfg = await loadConfig({ cwd: tmpdir(), env: {}, file: join(dir, 'pipegate.yaml') });
    expect(cfg.get('pipelines')).toEqual([join(dir, 'flows')]);
    expect(cfg.get('store.dataDir')).toBe(join(dir, 'state'));
  });

  it('refuses a missing --config file and bad variable or flag values with coded errors', async () => {
    await expect(loadConfig({ cwd: tmpdir(), env: {}, file: '/nonexistent/pipegate.yaml' })).rejects.toMatchObject({ code: 'ERR_CONFIG_FILE_NOT_FOUND' });
    await expect(loadConfig({ cwd: tmpdir(), env: { PIPEGATE_PORT: 'eighty' } })).rejects.toMatchObject({ code: 'ERR_CONFIG_VALUE', message: expect.stringContaining('PIPEGATE_PORT') });
    await expect(loadConfig({ cwd: tmpdir(), env: {}, flags: { port: '70000' } })).rejects.toMatchObject({ code: 'ERR_CONFIG_VALUE', message: expect.stringContaining('--port') });
    await expect(loadConfig({ cwd: tmpdir(), env: { PIPEGATE_TOKEN_SIGNING_ALGORITHM: 'none' } })).rejects.toMatchObject({ code: 'ERR_CONFIG_VALUE' });
  });

  it('docs/configuration-settings.md lists every setting with its variable, flag and default', () => {
    const page = readFileSync(join(import.meta.dirname, '../../docs/configuration-settings.md'), 'utf8');
    for (const r of CONFIG_ROWS) {
      const line = page.split('\n').find((l) => l.startsWith(`| \`${r.key}\` |`));
      expect(line, r.key).toBeDefined();
      if (r.env) expect(line).toContain(r.env);
      if (r.flag) expect(line).toContain(`--${r.flag}`);
      expect(line).toContain(r.default === null ? '| unset |' : `| \`${JSON.stringify(r.default)}\` |`);
    }
  });

  it('documents the defaults the gateway and the token service really use', () => {
    const d = (k: string) => CONFIG_ROWS.find((r) => r.key === k)!.default;
    const g = resolveGatewayConfig({ env: {}, cwd: '/x' });
    expect([d('realm'), d('environment'), d('listeners.main.host'), d('listeners.main.port'), d('listeners.internal.host'), d('trustProxy')]).toEqual([
      g.realm, g.environment, g.host, g.port, g.internalHost, g.trustProxy,
    ]);
    expect(join('/x', String(d('store.dataDir')))).toBe(g.dataDir);
    expect([d('tokenPolicy.defaultLifetimeMs'), d('tokenPolicy.maxTokenLifetimeMs'), d('tokenPolicy.signingAlgorithm'), d('tokenPolicy.leewaySec')]).toEqual([
      DEFAULT_LIFETIME_MS, DEFAULT_MAX_LIFETIME_MS, DEFAULT_SIGNING_ALGORITHM, 30,
    ]);
  });
});

describe('pipegate.yaml validation', () => {
  it('reports every problem with file:line:col and a code', async () => {
    const err = await invalid('realm: Acme Corp\nlisteners:\n  main:\n    portt: 80\ntokenPolicy:\n  leewaySec: "thirty"\n');
    expect(err.code).toBe('ERR_CONFIG_INVALID');
    expect(err.issues.map((i) => [i.code, i.line, i.column])).toEqual([
      ['ERR_CONFIG_VALUE', 1, 8],
      ['ERR_CONFIG_UNKNOWN_KEY', 4, 12],
      ['ERR_CONFIG_VALUE', 6, 14],
    ]);
    expect(err.issues[1]!.message).toBe('Unknown key "portt" (did you mean "port"?)');
  });

  it('reports YAML syntax errors with their position', async () => {
    const err = await invalid('realm: [local\n');
    expect(err.issues[0]).toMatchObject({ code: 'ERR_CONFIG_SYNTAX', line: expect.any(Number) });
  });

  it('refuses secrets in the file and warns on values that look like secrets', async () => {
    const err = await invalid('alerts:\n  webhookUrl: https://hooks.example/x\n  webhookSecret: abcdefghijklmnopqrstuvwxyz\n');
    expect(err.issues).toEqual([expect.objectContaining({ code: 'ERR_CONFIG_SECRET_IN_FILE', line: 3, message: expect.stringContaining('PIPEGATE_ALERT_SECRET') })]);
    expect(JSON.stringify(err.issues)).not.toContain('abcdefghijklmnopqrstuvwxyz');

    const dir = project('store:\n  url: postgres://app:hunter2@db.internal/pipegate\n');
    const cfg = await loadConfig({ cwd: dir, env: {} });
    expect(cfg.warnings).toEqual([expect.objectContaining({ code: 'ERR_CONFIG_SECRET_LIKE_VALUE', line: 2, column: 8, message: expect.stringContaining('a password inside a URL') })]);
    expect(cfg.warnings[0]!.message).not.toContain('hunter2');
    const plain = await loadConfig({ cwd: project('store:\n  url: postgres://app@db.internal/pipegate\npublicUrl: https://api.example.com\n'), env: {} });
    expect(plain.warnings).toEqual([]);
  });
});

describe('pipegate schema --config and pipegate config show', () => {
  it('prints the configuration schema with defaults, variables and flags', async () => {
    const r = await cli(['schema', '--config']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema).toEqual(configSchema());
    expect(schema.properties.tokenPolicy.properties.maxTokenLifetimeMs).toMatchObject({ default: 86400000, 'x-env': 'PIPEGATE_TOKEN_MAX_LIFETIME_MS' });
    expect(schema.properties.listeners.properties.main.properties.port).toMatchObject({ default: 8080, 'x-flag': '--port' });
    expect(schema.properties.alerts.properties).not.toHaveProperty('webhookSecret');
  });

  it('shows effective values with their source, secrets masked', async () => {
    const dir = project('realm: acme\n');
    const file = join(dir, 'pipegate.yaml');
    const r = await cli(['config', 'show', '--config', file, '--json', '--port', '9999'], { PIPEGATE_ENVIRONMENT: 'prod', PIPEGATE_ALERT_SECRET: 'a-very-long-webhook-secret' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.file).toBe(file);
    expect(doc.values.realm).toEqual({ value: 'acme', source: `${file}:1:8` });
    expect(doc.values.environment).toEqual({ value: 'prod', source: 'env PIPEGATE_ENVIRONMENT' });
    expect(doc.values['listeners.main.port']).toEqual({ value: 9999, source: 'flag --port' });
    expect(doc.values['alerts.webhookSecret']).toMatchObject({ value: '***', source: 'env PIPEGATE_ALERT_SECRET' });
    expect(r.stdout).not.toContain('a-very-long-webhook-secret');
  });

  it('stops a command on an invalid file with file:line:col lines', async () => {
    const dir = project('listeners:\n  main:\n    port: -1\n');
    const r = await cli(['config', 'show', '--config', join(dir, 'pipegate.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'pipegate.yaml')}:3:11 ERR_CONFIG_VALUE`);
  });
});
