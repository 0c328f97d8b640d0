// `pipegate consumers …`: consumers, their API keys and Basic Auth credentials, on the store directly.
import { parseArgs } from 'node:util';
import {
  addApiKey,
  addBasic,
  createConsumer,
  deleteConsumer,
  generatePassword,
  listConsumers,
  parseList,
  removeBasic,
  revokeApiKey,
  setEnabled,
  showConsumer,
  updateConsumer,
} from '../../consumers/consumer-admin.js';
import type { ConsumerView } from '../../consumers/consumer-admin.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import type { CliTarget } from '../cli-target.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const SUBCOMMANDS =
  'create NAME [--pipelines a,b|*] [--scopes s1,s2] | update NAME [--pipelines a,b|*] [--scopes s1,s2|-] | add-key NAME | revoke-key NAME KEYID | add-basic NAME USERNAME [--password-stdin] | remove-basic NAME USERNAME | enable NAME | disable NAME | delete NAME | list | show NAME';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function printView(io: CliIo, v: ConsumerView): void {
  io.stdout(
    `${v.name}${v.enabled ? '' : ' (disabled)'}\n  pipelines: ${v.pipelines.join(', ')}\n  scopes: ${v.scopes ? v.scopes.join(', ') || '(none)' : '(no ceiling)'}\n`,
  );
  for (const k of v.apiKeys)
    io.stdout(
      `  api key ${k.id} ${k.prefix}… created ${k.createdAt}${k.revokedAt ? ` revoked ${k.revokedAt}` : ''}\n`,
    );
  for (const b of v.basicAuth) io.stdout(`  basic ${b.username} created ${b.createdAt}\n`);
}

type Values = { json?: boolean; pipelines?: string; scopes?: string; 'password-stdin'?: boolean };

async function dispatch(
  sub: string,
  args: string[],
  values: Values,
  t: CliTarget,
  io: CliIo,
): Promise<number> {
  const need = (n: number): string[] => {
    if (args.length !== n)
      throw usageError(`consumers ${sub} takes ${n} argument(s): ${SUBCOMMANDS}`);
    return args;
  };
  const json = values.json === true;
  const done = (doc: Record<string, unknown>, text: string): number => {
    if (json) printJson(io, { environment: t.environment, ...doc });
    else io.stdout(text);
    return EXIT.ok;
  };
  switch (sub) {
    case 'create': {
      const [name] = need(1);
      const r = await createConsumer(t, {
        name: name!,
        pipelines: parseList(values.pipelines, 'pipelines'),
        scopes: parseList(values.scopes, 'scopes') ?? null,
      });
      return done(
        { consumer: await showConsumer(t, r.consumer.name), apiKey: r.apiKey, keyId: r.keyId },
        `consumer ${r.consumer.name} created in ${t.environment}\nAPI key (shown once, store it now): ${r.apiKey}\n`,
      );
    }
    case 'update': {
      const [name] = need(1);
      const patch: { pipelines?: string[]; scopes?: string[] | null } = {};
      const pipelines = parseList(values.pipelines, 'pipelines');
      if (pipelines) patch.pipelines = pipelines;
      // `--scopes -` removes the ceiling.
      if (values.scopes !== undefined)
        patch.scopes = values.scopes === '-' ? null : parseList(values.scopes, 'scopes')!;
      if (Object.keys(patch).length === 0)
        throw usageError('consumers update needs --pipelines and/or --scopes');
      await updateConsumer(t, name!, patch);
      const v = await showConsumer(t, name!);
      return done(
        { consumer: v },
        `consumer ${v.name} updated: pipelines ${v.pipelines.join(',')}; scopes ${v.scopes ? v.scopes.join(',') : '(no ceiling)'}\n`,
      );
    }
    case 'add-key': {
      const [name] = need(1);
      const r = await addApiKey(t, name!);
      return done(
        { consumer: name, apiKey: r.apiKey, keyId: r.keyId },
        `API key ${r.keyId} added to ${name} (shown once, store it now): ${r.apiKey}\n`,
      );
    }
    case 'revoke-key': {
      const [name, keyId] = need(2);
      await revokeApiKey(t, name!, keyId!);
      return done({ consumer: name, revoked: keyId }, `API key ${keyId} of ${name} revoked\n`);
    }
    case 'add-basic': {
      const [name, username] = need(2);
      const generated = values['password-stdin'] ? null : generatePassword();
      const password = generated ?? (await readStdin());
      await addBasic(t, name!, username!, password);
      const doc: Record<string, unknown> = { consumer: name, username };
      if (generated) doc.password = generated;
      return done(
        doc,
        `Basic Auth credential ${username} added to ${name}${generated ? `\npassword (shown once, store it now): ${generated}` : ''}\n`,
      );
    }
    case 'remove-basic': {
      const [name, username] = need(2);
      await removeBasic(t, name!, username!);
      return done(
        { consumer: name, removed: username },
        `Basic Auth credential ${username} removed from ${name}\n`,
      );
    }
    case 'enable':
    case 'disable': {
      const [name] = need(1);
      const c = await setEnabled(t, name!, sub === 'enable');
      return done(
        { consumer: c.name, enabled: c.enabled },
        `consumer ${c.name} ${c.enabled ? 'enabled' : 'disabled'}\n`,
      );
    }
    case 'delete': {
      const [name] = need(1);
      await deleteConsumer(t, name!);
      return done(
        { consumer: name, deleted: true },
        `consumer ${name} deleted (its API keys revoked, Basic credentials removed)\n`,
      );
    }
    case 'list': {
      need(0);
      const list = await listConsumers(t);
      if (json) return done({ consumers: list }, '');
      if (list.length === 0) io.stdout(`no consumers in ${t.environment}\n`);
      for (const v of list) {
        const keys = v.apiKeys.filter((k) => !k.revokedAt).length;
        io.stdout(
          `${v.name}${v.enabled ? '' : ' (disabled)'}  pipelines: ${v.pipelines.join(',')}  api keys: ${keys}  basic: ${v.basicAuth.length}\n`,
        );
      }
      return EXIT.ok;
    }
    case 'show': {
      const [name] = need(1);
      const v = await showConsumer(t, name!);
      if (json) return done({ consumer: v }, '');
      printView(io, v);
      return EXIT.ok;
    }
    default:
      throw usageError(`unknown consumers subcommand "${sub}": ${SUBCOMMANDS}`);
  }
}

export const consumersCommand: Command = {
  name: 'consumers',
  summary:
    'Manage consumers: API keys (shown once), Basic Auth credentials, allowed pipelines, scopes',
  usage: `pipegate consumers ${SUBCOMMANDS} ${STORE_USAGE}`,
  options: {
    '--pipelines a,b|*': 'create/update: pipelines the consumer may call (* for all)',
    '--scopes s1,s2|-': 'create/update: scope ceiling of its tokens (- removes it)',
    '--password-stdin':
      'add-basic: read the password from standard input instead of generating one',
  },
  examples: [
    'pipegate consumers create acme --pipelines orders,login',
    'pipegate consumers add-key acme',
    'pipegate consumers list --json',
  ],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        pipelines: { type: 'string' },
        scopes: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
      },
    });
    const [sub, ...args] = positionals;
    if (!sub) throw usageError(`consumers needs a subcommand: ${SUBCOMMANDS}`);
    const target = await openCliTarget(values, io);
    try {
      return await dispatch(sub, args, values, target, io);
    } finally {
      await target.close();
    }
  },
};
