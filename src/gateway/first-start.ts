// First-start credentials: the admin credential and the demo consumer, each printed once.
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../security/index.js';
import { HAS_UNIX_MODES, PRIVATE_FILE_MODE, ensurePrivateDir } from '../store/private-files.js';
import type { MasterKey } from '../security/index.js';
import type { Store } from '../store/store.js';
import { createConsumer, generatePassword } from '../consumers/consumer-admin.js';

/** Creates the `admin` credential when the store has no admin yet; returns its password (once) or null. */
export async function ensureAdmin(
  store: Store,
): Promise<{ username: string; password: string } | null> {
  if ((await store.admins.list()).length > 0) return null;
  const password = generatePassword();
  // A concurrent first start of another node may win; the later put replaces it, and only the
  // password printed by the node whose write remains is valid (documented in docs/gateway.md).
  await store.admins.put('admin', await hashPassword(password));
  return { username: 'admin', password };
}

/** File of the data directory that receives the admin password when there is no terminal. */
export const ADMIN_PASSWORD_FILE = 'admin-password';

/** File of the data directory that receives the demo consumer's API key when there is no terminal. */
export const DEMO_KEY_FILE = 'demo-api-key';

/**
 * Writes a secret shown once to `<dataDir>/<name>` (mode 0600, the directory 0700); returns the
 * path. A file left by an earlier store is removed first, so the secret never lands in a file of
 * another mode; the chmod makes it 0600 whatever the umask.
 */
export function writePrivateSecret(dataDir: string, name: string, secret: string): string {
  ensurePrivateDir(dataDir);
  const file = join(dataDir, name);
  rmSync(file, { force: true });
  writeFileSync(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  if (HAS_UNIX_MODES) chmodSync(file, PRIVATE_FILE_MODE);
  return file;
}

/** A record of serve's output (level, message, fields): never holds a secret. */
export interface FirstStartRecord {
  level: 'info' | 'warn';
  msg: string;
  fields: Record<string, unknown>;
}

/**
 * Hands the generated admin password to the operator without putting it in a log stream: on the
 * terminal when there is one, else in `<dataDir>/admin-password` (mode 0600). Returns the record to
 * log, which names where the password went and never contains it.
 */
export function deliverAdminPassword(
  admin: { username: string; password: string },
  out: { terminal?: (text: string) => void; dataDir: string },
): FirstStartRecord {
  if (out.terminal) {
    out.terminal(
      `\nAdmin credential created (shown only now): ${admin.username} / ${admin.password}\n`,
    );
    return {
      level: 'info',
      msg: 'admin credential created',
      fields: { user: admin.username, password: 'shown on the terminal only' },
    };
  }
  const file = writePrivateSecret(out.dataDir, ADMIN_PASSWORD_FILE, admin.password);
  return {
    level: 'warn',
    msg: 'admin credential created',
    fields: {
      user: admin.username,
      passwordFile: file,
      hint: 'no terminal to show the password: read the file (mode 0600), then delete it',
    },
  };
}

/** Name of the consumer `serve --demo` creates. */
export const DEMO_CONSUMER = 'demo';

/** Creates the demo consumer on a store that has none; returns its API key (once) or null. */
export async function ensureDemoConsumer(
  store: Store,
  master: MasterKey,
  environment: string,
): Promise<string | null> {
  if (await store.consumers.getByName(environment, DEMO_CONSUMER)) return null;
  const r = await createConsumer(
    { store, master, environment },
    { name: DEMO_CONSUMER, pipelines: ['*'], scopes: ['read', 'write'] },
  );
  return r.apiKey;
}

/** The curl walkthrough of the JWT flow (docs/gateway.md "Quick start"), with the real key and URL. */
export function demoWalkthrough(url: string, apiKey: string | null): string {
  const key = apiKey ?? '<the key printed on the first start>';
  return `
Demo consumer "${DEMO_CONSUMER}"${apiKey ? ' created. Its API key is shown only now:' : ' already exists (its key was printed on the first start).'}
  API key: ${key}

Try the JWT flow:
  export APIKEY='${key}'
  # 1. log in with the API key: the token comes back in the Authorization header
  TOKEN=$(curl -s -D - -o /dev/null -X POST ${url}/auth -H "apikey: $APIKEY" \\
    -H 'Content-Type: application/json' -d '{"userID":"u-42","role":"admin","password":"not-in-the-token"}' \\
    | tr -d '\\r' | sed -n 's/^[Aa]uthorization: Bearer //p')
  # 2. call the protected service with the token
  curl -s ${url}/protected-resource -H "Authorization: Bearer $TOKEN"
  # 3. without a token: 401
  curl -s -i ${url}/protected-resource
  # 4. log out (revokes the token), then the same call is refused
  curl -s -X POST ${url}/logout -H "Authorization: Bearer $TOKEN"
  curl -s -i ${url}/protected-resource -H "Authorization: Bearer $TOKEN"
  # public keys for independent verifiers
  curl -s ${url}/.well-known/jwks.json
`;
}
