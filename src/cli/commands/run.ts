// `pipegate run FILE --message JSON|@file`: runs a pipeline locally and prints the final message.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { defineOwn, parseJsonSafe } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { loadPipelineFile } from '../../core/loader/index.js';
import { runPipeline } from '../../core/engine/index.js';
import { gatewayOptionsFrom } from '../../config/index.js';
import { registryWithConnectors } from '../../connectors/custom/load-connectors.js';
import type { GatewayOptions } from '../../gateway/gateway-config.js';
import { CONFIG_OPTION, readCliConfig } from '../cli-config.js';
import { PlatformError } from '../../errors/index.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';
import { createLocalHost } from '../local-host.js';

async function readMessage(spec: string | undefined): Promise<JsonValue> {
  if (spec === undefined) return {};
  let text = spec;
  if (spec.startsWith('@')) {
    try {
      text = await readFile(spec.slice(1), 'utf8');
    } catch (err) {
      throw new PlatformError(
        'ERR_INPUT_MESSAGE',
        { reason: `cannot read ${spec.slice(1)}` },
        { cause: err },
      );
    }
  }
  try {
    return parseJsonSafe(text);
  } catch (err) {
    throw new PlatformError(
      'ERR_INPUT_MESSAGE',
      { reason: (err as Error).message },
      { cause: err },
    );
  }
}

/** Parses `name=value` pairs; values that are JSON (numbers, booleans, objects) keep their type. */
export function parseGlobals(pairs: string[]): JsonObject {
  const out: JsonObject = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--global takes name=value, got "${pair}"`);
    const raw = pair.slice(eq + 1);
    let value: JsonValue = raw;
    try {
      value = parseJsonSafe(raw);
    } catch {
      value = raw;
    }
    defineOwn(out, pair.slice(0, eq), value);
  }
  return out;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a pipeline locally and print its final message',
  usage:
    'pipegate run FILE [--message JSON|@file] [--global name=value]… [--environment NAME] [--realm NAME] [--consumer NAME] [--timeout MS] [--data-dir DIR] [--allow-egress HOST|CIDR]… [--config FILE]',
  options: {
    '--message JSON|@file': 'the input message: JSON text, or @path of a JSON file (default {})',
    '--global name=value': 'a global value for {{ global.name }} (repeatable)',
    '--environment NAME': 'environment name seen by the pipeline (default "test")',
    '--realm NAME': 'token realm for jwt steps (default "local")',
    '--consumer NAME': 'consumer the local token service accepts (default "test-consumer")',
    '--timeout MS': "execution timeout in milliseconds (default the trigger's timeoutMs)",
    '--data-dir DIR': 'data folder whose master key decrypts accounts (default ./.pipegate)',
    '--allow-egress HOST|CIDR':
      'let connectors reach a destination the egress policy blocks (repeatable)',
    '--config FILE': 'pipegate.yaml to read (default ./pipegate.yaml)',
  },
  examples: [
    'pipegate run examples/jwt-auth/login.yaml --message \'{"body":{"user":"ana"}}\'',
    'pipegate run pipeline.yaml --message @input.json --global db-timeout=30',
  ],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        message: { type: 'string', short: 'm' },
        global: { type: 'string', multiple: true, default: [] },
        environment: { type: 'string' },
        realm: { type: 'string' },
        ...CONFIG_OPTION,
        consumer: { type: 'string', default: 'test-consumer' },
        timeout: { type: 'string' },
        'data-dir': { type: 'string' },
        'allow-egress': { type: 'string', multiple: true },
      },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw usageError('run takes exactly one pipeline file');
    const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
      throw usageError('--timeout takes a positive number of milliseconds');
    const config = await readCliConfig(io, values);
    const options = gatewayOptionsFrom(config) as GatewayOptions;
    const environment = String(config.get('environment'));
    const realm = String(config.get('realm'));
    const registry = await registryWithConnectors(options.connectors ?? [], io.cwd);
    const pipeline = await loadPipelineFile(file, { registry });
    const message = await readMessage(values.message);
    const trigger = pipeline.doc.trigger as { timeoutMs?: number } | undefined;
    const local = await createLocalHost({
      cwd: io.cwd,
      dataDir: options.dataDir,
      environment,
      realm,
      consumer: values.consumer,
      env: io.env,
      allowEgress: values['allow-egress'],
      tokenPolicy: options.tokenPolicy,
      publicUrl: options.publicUrl,
      port: options.port,
    });
    try {
      const result = await runPipeline(pipeline, {
        message,
        environment,
        realm,
        globals: { ...local.globals, ...parseGlobals(values.global) },
        host: local.host,
        auth: local.auth,
        timeoutMs: timeoutMs ?? trigger?.timeoutMs,
        onLog: (line) => io.stderr(`${JSON.stringify(line)}\n`),
      });
      io.stdout(`${JSON.stringify(result.output, null, 2)}\n`);
      return result.status === 'success' ? EXIT.ok : EXIT.failed;
    } finally {
      await local.close();
    }
  },
};
