// `pipegate globals set|list|remove`: named non-secret values per environment, on the store or through the admin API.
import { parseArgs } from 'node:util';
import { listGlobals, removeGlobal, setGlobal } from '../../globals/global-admin.js';
import type { GlobalView } from '../../globals/global-admin.js';
import { adminRequest } from '../admin-client.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const USAGE = `pipegate globals set NAME VALUE | set NAME --json VALUE | list | remove NAME  ${STORE_USAGE} | --server URL (admin API; PIPEGATE_ADMIN_PASSWORD)`;

function line(g: GlobalView): string {
  return `${g.name}\t${g.type === 'json' ? JSON.stringify(g.value) : String(g.value)}\n`;
}

async function remote(
  server: string,
  io: CliIo,
  action: string,
  name: string | undefined,
  value: { text: string; json: boolean } | null,
): Promise<Record<string, unknown>> {
  const c = { server, env: io.env };
  const path = `/globals/${encodeURIComponent(name ?? '')}`;
  if (action === 'list') return adminRequest(c, 'GET', '/globals');
  if (action === 'remove') return adminRequest(c, 'DELETE', path);
  const body = value!.json
    ? `{"json":${JSON.stringify(value!.text)}}`
    : JSON.stringify({ value: value!.text });
  return adminRequest(c, 'PUT', path, { text: body, contentType: 'application/json' });
}

export const globalsCommand: Command = {
  name: 'globals',
  summary:
    'Manage globals: plain per-environment values read as {{ global.NAME }} (set, list, remove)',
  usage: USAGE,
  options: {
    '--json VALUE': 'with set: the value as JSON text (number, object, array…), kept with its type',
    '--json-output': 'print JSON instead of text',
    '--environment NAME':
      'environment whose globals to change (default PIPEGATE_ENVIRONMENT, else "test")',
  },
  examples: [
    'pipegate globals set region eu-west-1',
    'pipegate globals set limits --json \'{"rps":10}\' --environment prod',
    'pipegate globals list',
  ],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        json: { type: 'string' },
        'json-output': { type: 'boolean', default: false },
        server: { type: 'string' },
      },
    });
    const [action, name, text] = positionals;
    const asJson = values['json-output'];
    if (action === 'set') {
      if (!name) throw usageError(`globals set needs a NAME\nUsage: ${USAGE}`);
      if ((text === undefined) === (values.json === undefined))
        throw usageError('globals set takes either VALUE or --json VALUE');
      const value = { text: values.json ?? text!, json: values.json !== undefined };
      if (values.server) {
        const r = await remote(values.server, io, 'set', name, value);
        if (asJson) printJson(io, r);
        else io.stdout(`global ${name} set on ${values.server}\n`);
        return EXIT.ok;
      }
      const t = await openCliTarget(values, io);
      try {
        const g = await setGlobal(
          t.store,
          t.environment,
          name,
          value.text,
          value.json ? 'json' : 'text',
        );
        if (asJson) printJson(io, { environment: t.environment, global: g });
        else
          io.stdout(
            `global ${name} set in ${t.environment} (running servers follow within ~1 s)\n`,
          );
        return EXIT.ok;
      } finally {
        await t.close();
      }
    }
    if (action === 'list' || action === 'remove') {
      if (action === 'remove' && !name) throw usageError('globals remove needs a NAME');
      if (values.server) {
        const r = await remote(values.server, io, action, name, null);
        if (asJson || action === 'remove') printJson(io, r);
        else for (const g of (r.globals ?? []) as GlobalView[]) io.stdout(line(g));
        return EXIT.ok;
      }
      const t = await openCliTarget(values, io);
      try {
        if (action === 'remove') {
          await removeGlobal(t.store, t.environment, name!);
          if (asJson) printJson(io, { environment: t.environment, removed: name });
          else io.stdout(`global ${name} removed from ${t.environment}\n`);
          return EXIT.ok;
        }
        const list = await listGlobals(t.store, t.environment);
        if (asJson) printJson(io, { environment: t.environment, globals: list });
        else for (const g of list) io.stdout(line(g));
        return EXIT.ok;
      } finally {
        await t.close();
      }
    }
    throw usageError(`globals takes set, list or remove\nUsage: ${USAGE}`);
  },
};
