// Independent implementations the interop tests run against: which are missing, and what to do about it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Debian packages that provide every peer (README "Running the tests"). */
export const PEER_INSTALL_COMMAND = 'apt-get install jose python3-jwcrypto python3-jwt';

/** The Python interpreter and the jose CLI used by the interop tests (overridable for odd setups). */
export const peerPython =
  process.env.PIPEGATE_INTEROP_PYTHON ??
  (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
export const peerJoseCli = process.env.PIPEGATE_INTEROP_JOSE ?? 'jose';

/** The Debian packages whose tools are missing here, in install-command order. */
export function missingPeerPackages(python = peerPython, joseCli = peerJoseCli): string[] {
  const missing: string[] = [];
  if (spawnSync(joseCli, ['alg'], { stdio: 'ignore' }).status !== 0) missing.push('jose');
  for (const [module, pkg] of [
    ['jwcrypto', 'python3-jwcrypto'],
    ['jwt', 'python3-jwt'],
  ] as const) {
    if (spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status !== 0)
      missing.push(pkg);
  }
  return missing;
}

/** What the interop tests do: run, or (outside CI, with peers missing) fail once and skip the rest. */
export interface PeerPlan {
  /** Whether the peer-backed tests run. */
  run: boolean;
  /** The one failure to report, when peers are missing. */
  failure?: string;
}

/**
 * Under CI (`CI=true`, which installs the peers) every interop test runs, so a missing peer fails each
 * of them. Elsewhere a missing peer is reported once, with the install command, and the tests that
 * need it are skipped instead of failing by the dozen with `spawnSync jose ENOENT`.
 */
export function peerPlan(
  missing: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): PeerPlan {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  if (missing.length === 0) return { run: true };
  const failure = `Interoperability peers missing: ${missing.join(', ')}. Install them with: ${PEER_INSTALL_COMMAND}`;
  return ci ? { run: true, failure } : { run: false, failure };
}
