// Globals and accounts reach gateway executions; deploying a pipeline whose account is missing is refused.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountService } from '../../src/accounts/index.js';
import { SecretBox } from '../../src/security/index.js';
import { eventually, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const usesAccount = JSON.stringify({
  name: 'partner-call',
  version: '1.0',
  trigger: { type: 'rest' },
  steps: [
    {
      type: 'json-generator',
      json: { region: '{{ global.region }}', keyLength: '{{ SIZE(account.partner.key) }}' },
    },
  ],
});

describe('globals and accounts in the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({});
  });
  afterAll(async () => h?.close());

  it('refuses to deploy a pipeline whose account does not exist, then serves it with globals and the account', async () => {
    const file = join(h.root, 'partner.json');
    await writeFile(file, usesAccount);
    await expect(h.gw.deployFile(file)).rejects.toMatchObject({ code: 'ERR_ACCOUNT_MISSING' });
    await new AccountService(h.gw.store, new SecretBox(h.consumers.master)).put('test', 'partner', {
      type: 'api-key',
      key: 'k'.repeat(32),
    });
    await h.gw.store.globals.put('test', 'region', 'eu-west');
    await h.gw.deployFile(file);
    await eventually(async () => {
      const res = await h.fetch('/pipeline/local/v1/partner-call');
      expect(await res.json()).toEqual({ region: 'eu-west', keyLength: 32 });
    });
  });
});
