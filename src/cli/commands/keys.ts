// `pipegate keys list|rotate`: the realm's platform signing keys, on the store directly (servers poll the change).
import { parseArgs } from 'node:util';
import { PlatformError } from '../../errors/index.js';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../cli-target.js';
import type { CliTarget } from '../cli-target.js';
import {
  SecretBox,
  SIGNING_ALGORITHMS,
  createSealedSigningKey,
  isSigningAlgorithm,
} from '../../security/index.js';
import { DEFAULT_MAX_LIFETIME_MS } from '../../security/tokens/claims-policy.js';
import type { SigningKeyRecord } from '../../store/records.js';
import type { CliIo, Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** The public view of a key: never the private part. */
function keyView(k: SigningKeyRecord): Record<string, unknown> {
  return {
    kid: k.kid,
    alg: k.alg,
    state: k.state,
    createdAt: iso(k.createdAt),
    retiringSince: iso(k.retiringSince),
    retireAfter: iso(k.retireAfter),
  };
}

async function list(t: CliTarget, io: CliIo, json: boolean): Promise<number> {
  await t.store.signingKeys.retireDue(t.environment);
  const keys = await t.store.signingKeys.list(t.environment, t.realm);
  if (json) {
    printJson(io, { environment: t.environment, realm: t.realm, keys: keys.map(keyView) });
    return EXIT.ok;
  }
  if (keys.length === 0)
    io.stdout(
      `no signing keys yet in ${t.realm}/${t.environment} (created at the first server start or by "keys rotate")\n`,
    );
  for (const k of keys) {
    const until = k.state === 'retiring' ? ` (accepted until ${iso(k.retireAfter)})` : '';
    io.stdout(`${k.kid}  ${k.alg}  ${k.state}${until}  created ${iso(k.createdAt)}\n`);
  }
  return EXIT.ok;
}

async function rotate(
  t: CliTarget,
  io: CliIo,
  values: { alg?: string; 'retiring-ms'?: string; json?: boolean },
): Promise<number> {
  const retiringMs =
    values['retiring-ms'] === undefined
      ? (t.tokenPolicy.maxTokenLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS)
      : Number(values['retiring-ms']);
  if (!Number.isInteger(retiringMs) || retiringMs < 0)
    throw usageError('--retiring-ms takes a non-negative integer (milliseconds)');
  const current = await t.store.signingKeys.getActive(t.environment, t.realm);
  const alg = values.alg ?? t.tokenPolicy.signingAlgorithm ?? current?.alg ?? 'ES256';
  if (!isSigningAlgorithm(alg))
    throw new PlatformError('ERR_JWT_ALGORITHM', { alg, allowed: SIGNING_ALGORITHMS.join(', ') });
  const sealed = await createSealedSigningKey(new SecretBox(t.master), t.environment, t.realm, alg);
  await t.store.signingKeys.retireDue(t.environment);
  const r = current
    ? await t.store.signingKeys.rotate(t.environment, sealed, {
        retireAfter: Date.now() + retiringMs,
      })
    : { active: await t.store.signingKeys.create(t.environment, sealed), retiring: null };
  if (values.json) {
    printJson(io, {
      environment: t.environment,
      realm: t.realm,
      active: keyView(r.active),
      retiring: r.retiring ? keyView(r.retiring) : null,
    });
  } else {
    io.stdout(`new active key ${r.active.kid} (${r.active.alg}) in ${t.realm}/${t.environment}\n`);
    if (r.retiring)
      io.stdout(
        `previous key ${r.retiring.kid} is retiring: still accepted and published until ${iso(r.retiring.retireAfter)}\n`,
      );
    io.stdout('running servers switch within their refresh interval (1 s by default)\n');
  }
  return EXIT.ok;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'List or rotate the platform signing keys of a realm',
  usage: `pipegate keys list|rotate [--alg ES256|EdDSA|RS256|PS256|HS256] [--retiring-ms MS] ${STORE_USAGE}`,
  options: {
    '--alg ES256|EdDSA|RS256|PS256|HS256': "rotate: algorithm of the new key (default the realm's)",
    '--retiring-ms MS':
      'rotate: how long the old key still verifies (default the longest token lifetime)',
  },
  examples: ['pipegate keys list', 'pipegate keys rotate --alg EdDSA'],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...STORE_OPTIONS, alg: { type: 'string' }, 'retiring-ms': { type: 'string' } },
    });
    const [sub, ...rest] = positionals;
    if ((sub !== 'list' && sub !== 'rotate') || rest.length > 0)
      throw usageError(`keys takes list or rotate: ${this.usage}`);
    const t = await openCliTarget(values, io);
    try {
      return sub === 'list' ? await list(t, io, values.json === true) : await rotate(t, io, values);
    } finally {
      await t.close();
    }
  },
};
