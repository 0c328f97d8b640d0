// What `pipegate tokens revoke` and POST /admin/tokens/revoke store: one revocation row for a jti, a consumer or a time.
import { PlatformError } from '../../errors/index.js';
import type { NewRevocation, Revocation, Store } from '../../store/store.js';
import { ABSOLUTE_MAX_LIFETIME_MS } from './claims-policy.js';

/** Exactly one of jti, consumer, before; or consumer with before (that consumer's tokens issued before then). */
export interface RevokeTarget {
  jti?: string;
  consumer?: string;
  /** Epoch ms. */
  before?: number;
}

/**
 * Stores the revocation row of `target` in `env` and returns it. Rows live as long as a token they
 * match can: a jti's row until the issued token's exp when the usage log has it, others for the
 * longest token lifetime. Running gateways apply it from the change feed (1 s by default), or at
 * once after `TokenService.refresh()`. ERR_JWT_REVOKE_TARGET when the target is not one of the forms.
 */
export async function revokeTokens(
  store: Store,
  env: string,
  target: RevokeTarget,
  now = Date.now(),
): Promise<Revocation> {
  const { jti, consumer, before } = target;
  const forms = [jti, consumer, before].filter((x) => x !== undefined).length;
  const pair = consumer !== undefined && before !== undefined && jti === undefined;
  if ((forms !== 1 && !pair) || jti === '' || consumer === '')
    throw new PlatformError('ERR_JWT_REVOKE_TARGET', { reason: `${forms} given` });
  const longest = now + ABSOLUTE_MAX_LIFETIME_MS;
  let row: NewRevocation;
  if (jti !== undefined) {
    const [issued] = await store.usage.query(env, { jti, kind: 'issued', limit: 1 });
    row = { kind: 'jti', value: jti, expiresAt: issued?.exp ? issued.exp * 1000 : longest };
  } else if (consumer !== undefined) {
    row = { kind: 'consumer', value: consumer, issuedBefore: before ?? now, expiresAt: longest };
  } else {
    row = {
      kind: 'before',
      value: String(before),
      issuedBefore: before,
      expiresAt: Math.max(before!, now) + ABSOLUTE_MAX_LIFETIME_MS,
    };
  }
  return store.revocations.add(env, row);
}
