// Missing interop peers: one failure with the install command outside CI, every test run under CI.
import { describe, expect, it } from 'vitest';
import { PEER_INSTALL_COMMAND, missingPeerPackages, peerPlan } from './peer-tools.js';

describe('interop peers', () => {
  it('detects a missing jose CLI and missing Python modules', () => {
    expect(missingPeerPackages('/nonexistent/python3', '/nonexistent/jose')).toEqual([
      'jose',
      'python3-jwcrypto',
      'python3-jwt',
    ]);
    // node itself stands in for an interpreter that runs but lacks the modules.
    expect(missingPeerPackages(process.execPath, '/nonexistent/jose')).toEqual([
      'jose',
      'python3-jwcrypto',
      'python3-jwt',
    ]);
  });

  it('outside CI: the peer tests are skipped and one failure names the install command', () => {
    const plan = peerPlan(['jose'], {});
    expect(plan.run).toBe(false);
    expect(plan.failure).toContain('jose');
    expect(plan.failure).toContain('apt-get install jose python3-jwcrypto python3-jwt');
    expect(PEER_INSTALL_COMMAND).toBe('apt-get install jose python3-jwcrypto python3-jwt');
  });

  it('under CI=true every peer test runs, whatever is missing', () => {
    expect(peerPlan(['jose', 'python3-jwt'], { CI: 'true' }).run).toBe(true);
    expect(peerPlan([], { CI: 'true' })).toEqual({ run: true });
    expect(peerPlan([], {})).toEqual({ run: true });
  });
});
