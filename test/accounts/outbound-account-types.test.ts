// Account types added for outbound connectors: oauth-client-credentials, database, api-key placement.
import { describe, expect, it } from 'vitest';
import { buildAccountValue, expressionFields } from '../../src/accounts/index.js';

describe('outbound account types', () => {
  it('builds oauth-client-credentials and exposes only client id and secret to expressions', () => {
    const v = buildAccountValue('partner', 'oauth-client-credentials', { tokenUrl: 'https://idp.example/token', clientId: 'id', clientSecret: 's', scopes: 'a b' });
    expect(v).toEqual({ type: 'oauth-client-credentials', tokenUrl: 'https://idp.example/token', clientId: 'id', clientSecret: 's', scopes: 'a b' });
    expect(expressionFields(v)).toEqual({ clientId: 'id', clientSecret: 's' });
  });

  it('builds database settings with aliases and numeric port', () => {
    const v = buildAccountValue('db', 'database', { driver: 'mariadb', host: 'h', port: '3307', database: 'd', username: 'u', password: 'p' });
    expect(v).toEqual({ type: 'database', driver: 'mysql', host: 'h', port: 3307, database: 'd', username: 'u', password: 'p' });
  });

  it('api-key takes an optional name and place', () => {
    expect(buildAccountValue('k', 'api-key', { key: 'x', name: 'api_key', in: 'query' })).toEqual({ type: 'api-key', key: 'x', name: 'api_key', in: 'query' });
  });

  it.each([
    ['oauth-client-credentials', { tokenUrl: 'not a url', clientId: 'i', clientSecret: 's' }, 'tokenUrl'],
    ['oauth-client-credentials', { tokenUrl: 'https://x/t', clientId: 'i', clientSecret: 's', clientAuth: 'jwt' }, 'clientAuth'],
    ['database', { driver: 'oracle', host: 'h', database: 'd', username: 'u' }, 'driver'],
    ['database', { driver: 'postgres', host: 'h', database: 'd', username: 'u', port: '99999' }, 'port'],
    ['api-key', { key: 'x', in: 'cookie' }, 'in must be'],
  ])('%s refuses %j (%s) with ERR_ACCOUNT_INVALID', (type, fields, hint) => {
    expect(() => buildAccountValue('a', type, fields)).toThrow(expect.objectContaining({ code: 'ERR_ACCOUNT_INVALID', message: expect.stringContaining(hint) }));
  });
});
