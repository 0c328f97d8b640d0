// Files that hold secrets (data directory, SQLite database, master key): owner-only, whatever the umask.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

/** Owner read/write/search only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;

/** True when the platform has Unix permission bits (Windows ignores them). */
export const HAS_UNIX_MODES = process.platform !== 'win32';

/**
 * Creates `dir` (and missing parents) when absent. A directory created here is chmod-ed to 0700 after
 * creation, because `mkdir`'s mode is filtered by the umask; an existing directory is left as it is
 * (it may be the user's own, e.g. the working directory).
 */
export function ensurePrivateDir(dir: string): void {
  const created = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== undefined && HAS_UNIX_MODES) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates `file` empty with mode 0600 when absent (a file that exists is left alone). SQLite gives its
 * `-wal` and `-shm` files the mode of the database file, so this keeps all three private.
 */
export function ensurePrivateFile(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    if (HAS_UNIX_MODES) chmodSync(file, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}
