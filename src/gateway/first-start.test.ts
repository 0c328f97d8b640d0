// The generated admin password reaches the terminal only, never stderr (a log stream) (issue 10 item 14).
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

  it('with a terminal: writes the password there only; nothing for stderr, no file', () => {
    const shown: string[] = [];
    const forStderr = deliverAdminPassword(admin, { terminal: (t) => shown.push(t), dataDir });
    expect(shown.join('')).toContain('admin / Gen3rated-Passw0rd-xyz');
    expect(forStderr).toBe('');
    expect(existsSync(join(dataDir, ADMIN_PASSWORD_FILE))).toBe(false);
  });

  it('without a terminal: the stderr line names the 0600 file and not the password', () => {
    const forStderr = deliverAdminPassword(admin, { dataDir });
    expect(forStderr).toContain(join(dataDir, ADMIN_PASSWORD_FILE));
    expect(forStderr).not.toContain(admin.password);
  });
});
