// The generated admin password reaches the terminal only, never a log record (issue 10 item 14).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD_FILE, deliverAdminPassword } from './first-start.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pg-first-start-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('deliverAdminPassword', () => {
  const admin = { username: 'admin', password: 'Gen3rated-Passw0rd-xyz' };

  it('with a terminal: writes the password there only; the record does not hold it, no file', () => {
    const shown: string[] = [];
    const record = deliverAdminPassword(admin, { terminal: (t) => shown.push(t), dataDir });
    expect(shown.join('')).toContain('admin / Gen3rated-Passw0rd-xyz');
    expect(record).toMatchObject({ level: 'info', msg: 'admin credential created' });
    expect(JSON.stringify(record)).not.toContain(admin.password);
    expect(existsSync(join(dataDir, ADMIN_PASSWORD_FILE))).toBe(false);
  });

  it('without a terminal: the record names the 0600 file and not the password', () => {
    const record = deliverAdminPassword(admin, { dataDir });
    expect(record.fields.passwordFile).toBe(join(dataDir, ADMIN_PASSWORD_FILE));
    expect(JSON.stringify(record)).not.toContain(admin.password);
    expect(existsSync(join(dataDir, ADMIN_PASSWORD_FILE))).toBe(true);
  });
});
