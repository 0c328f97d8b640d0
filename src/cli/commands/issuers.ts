// `pipegate issuers add|list|show|remove`: external token issuers (OIDC, any JWKS) per realm and environment.
import { parseArgs } from 'node:util';
import { STORE_OPTIONS, STORE_USAGE, openCliTarget, printJson } from '../../cli/cli-target.js';
import {
  listIssuers,
  putIssuer,
  removeIssuer,
  validateIssuer,
} from '../../security/issuers/issuer-config.js';
import type { IssuerConfig } from '../../security/issuers/issuer-config.js';
import { PlatformError } from '../../errors/index.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../command.js';

const USAGE = `pipegate issuers add NAME (--discovery URL | --issuer URL --jwks-url URL) [--audience A] [--algorithms RS256,ES256,…] [--scope-claim scope|scp|roles] [--replace] | list | show NAME | remove NAME  ${STORE_USAGE}`;

function describe(i: IssuerConfig): string {
  const where = i.discovery ? `discovery ${i.discovery}` : `issuer ${i.issuer} jwks ${i.jwksUrl}`;
  return `${i.name}\t${where}\taudience ${i.audience ?? '(any)'}\talgorithms ${i.algorithms.join(',')}\tscopes from ${i.scopeClaim}\n`;
}

export const issuersCommand: Command = {
  name: 'issuers',
  summary:
    'Trust tokens of external issuers (OIDC discovery or a JWKS URL) on triggers with auth.jwt.issuers (add, list, show, remove)',
  usage: USAGE,
  options: {
    '--discovery URL':
      'with add: the OIDC discovery (or RFC 8414) document; issuer and JWKS URL come from it',
    '--issuer URL': 'with add: the exact `iss` of the tokens (with --jwks-url)',
    '--jwks-url URL': "with add: the issuer's JWKS (with --issuer)",
    '--audience A': 'with add: the `aud` the tokens must carry (recommended)',
    '--algorithms LIST':
      'with add: accepted signature algorithms, comma-separated (default RS256; none and HMAC are refused)',
    '--scope-claim NAME': 'with add: claim holding the scopes: scope (default), scp or roles',
    '--replace': 'with add: replace an issuer of the same name',
  },
  examples: [
    'pipegate issuers add corp --discovery https://idp.example.com/.well-known/openid-configuration --audience orders-api',
    'pipegate issuers add partner --issuer https://partner.example --jwks-url https://partner.example/jwks.json --algorithms ES256 --scope-claim scp',
    'pipegate issuers list --json',
  ],
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...STORE_OPTIONS,
        discovery: { type: 'string' },
        issuer: { type: 'string' },
        'jwks-url': { type: 'string' },
        audience: { type: 'string' },
        algorithms: { type: 'string' },
        'scope-claim': { type: 'string' },
        replace: { type: 'boolean', default: false },
      },
    });
    const [action, name] = positionals;
    if (!['add', 'list', 'show', 'remove'].includes(action ?? ''))
      throw usageError(`issuers takes add, list, show or remove\nUsage: ${USAGE}`);
    if (action !== 'list' && !name) throw usageError(`issuers ${action} needs a NAME`);
    // Validate before opening the store: a bad flag fails fast.
    const config =
      action === 'add'
        ? validateIssuer({
            name: name!,
            ...(values.discovery === undefined ? {} : { discovery: values.discovery }),
            ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
            ...(values['jwks-url'] === undefined ? {} : { jwksUrl: values['jwks-url'] }),
            ...(values.audience === undefined ? {} : { audience: values.audience }),
            ...(values.algorithms === undefined
              ? {}
              : {
                  algorithms: values.algorithms
                    .split(',')
                    .map((a) => a.trim())
                    .filter(Boolean),
                }),
            ...(values['scope-claim'] === undefined ? {} : { scopeClaim: values['scope-claim'] }),
          })
        : null;
    const t = await openCliTarget(values, io);
    try {
      const scope = { realm: t.realm, environment: t.environment };
      if (config) {
        await putIssuer(t.store, t.realm, t.environment, config, values.replace);
        if (values.json) printJson(io, { ...scope, issuer: config });
        else
          io.stdout(
            `issuer ${config.name} added in ${t.realm}/${t.environment} (running servers follow within ~2 s)\n`,
          );
        return EXIT.ok;
      }
      if (action === 'remove') {
        await removeIssuer(t.store, t.realm, t.environment, name!);
        if (values.json) printJson(io, { ...scope, removed: name });
        else io.stdout(`issuer ${name} removed from ${t.realm}/${t.environment}\n`);
        return EXIT.ok;
      }
      const list = await listIssuers(t.store, t.realm, t.environment);
      if (action === 'show') {
        const one = list.find((i) => i.name === name);
        if (!one) throw new PlatformError('ERR_ISSUER_UNKNOWN', { name: name! });
        if (values.json) printJson(io, { ...scope, issuer: one });
        else io.stdout(describe(one));
        return EXIT.ok;
      }
      if (values.json) printJson(io, { ...scope, issuers: list });
      else for (const i of list) io.stdout(describe(i));
      return EXIT.ok;
    } finally {
      await t.close();
    }
  },
};
