// `pipegate accounts add|list|show|remove`: typed credentials, encrypted at rest, never printed back.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AccountService, buildAccountValue, expressionFields } from '../../accounts/index.js';
import { PlatformError } from '../../errors/index.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import { SecretBox } from '../../security/index.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const USAGE = `pipegate accounts add LABEL --type TYPE [--set field=value]… [--set-file field=PATH]… [--set-stdin field] [--description TEXT] ${STORE_USAGE}
       pipegate accounts list|show LABEL|remove LABEL ${STORE_USAGE}`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function pair(text: string, option: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw usageError(`${option} takes field=value, got "${text.slice(0, 40)}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

async function collectFields(values: {
  set?: string[];
  'set-file'?: string[];
  'set-stdin'?: string;
}): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const s of values.set ?? []) {
    const [k, v] = pair(s, '--set');
    fields[k] = v;
  }
  for (const s of values['set-file'] ?? []) {
    const [k, path] = pair(s, '--set-file');
    try {
      fields[k] = (await readFile(path, 'utf8')).trim();
    } catch (err) {
      throw new PlatformError(
        'ERR_CLI_USAGE',
        { reason: `cannot read ${path} for field ${k}` },
        { cause: err },
      );
    }
  }
  if (values['set-stdin']) fields[values['set-stdin']] = await readStdin();
  return fields;
}

export const accountsCommand: Command = {
  name: 'accounts',
  summary: 'Manage accounts: typed credentials encrypted at rest (add, list, show, remove)',
  usage: USAGE,
  options: {
    '--type TYPE': 'add: account type (basic, api-key, oauth-bearer, …; see docs/accounts.md)',
    '--set field=value': 'add: a field value (repeatable)',
    '--set-file field=PATH': 'add: a field read from a file, e.g. a PEM key (repeatable)',
    '--set-stdin field':
      'add: a field read from standard input (keeps secrets out of shell history)',
    '--description TEXT': 'add: a note shown by list',
  },
  examples: [
    'pipegate accounts add crm-db --type basic --set username=app --set-stdin password',
    'pipegate accounts list',
  ],
  async run(argv: string[], io: CliIo) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        type: { type: 'string' },
        set: { type: 'string', multiple: true },
        'set-file': { type: 'string', multiple: true },
        'set-stdin': { type: 'string' },
        description: { type: 'string' },
      },
    });
    const [action, label] = positionals;
    if (!action || !['add', 'list', 'show', 'remove'].includes(action))
      throw usageError(`accounts takes add, list, show or remove\nUsage: ${USAGE}`);
    if (action !== 'list' && !label) throw usageError(`accounts ${action} needs a LABEL`);
    const target = await openCliTarget(values, io);
    try {
      const accounts = new AccountService(target.store, new SecretBox(target.master));
      const env = target.environment;
      if (action === 'add') {
        if (!values.type) throw usageError('accounts add needs --type');
        const value = buildAccountValue(label!, values.type, await collectFields(values));
        const summary = await accounts.put(env, label!, value, values.description ?? null);
        if (values.json) printJson(io, summary);
        else io.stdout(`account ${label} (${value.type}) saved in environment ${env}\n`);
        return EXIT.ok;
      }
      if (action === 'list') {
        const list = await accounts.list(env);
        if (values.json) printJson(io, list);
        else for (const a of list) io.stdout(`${a.label}\t${a.type}\t${a.description ?? ''}\n`);
        return EXIT.ok;
      }
      if (action === 'show') {
        const summary = (await accounts.list(env)).find((a) => a.label === label);
        if (!summary)
          throw new PlatformError('ERR_STORE_ACCOUNT_NOT_FOUND', {
            label: label!,
            environment: env,
          });
        const fields = Object.keys(expressionFields(await accounts.get(env, label!)));
        // Only the field names: values are never printed back, not even hashed (low-entropy secrets).
        const shown = { ...summary, fields };
        if (values.json) printJson(io, shown);
        else io.stdout(`${shown.label} (${shown.type}) fields: ${fields.join(', ')}\n`);
        return EXIT.ok;
      }
      const removed = await accounts.remove(env, label!);
      if (!removed)
        throw new PlatformError('ERR_STORE_ACCOUNT_NOT_FOUND', { label: label!, environment: env });
      if (values.json) printJson(io, { removed: label });
      else io.stdout(`account ${label} removed\n`);
      return EXIT.ok;
    } finally {
      await target.close();
    }
  },
};
