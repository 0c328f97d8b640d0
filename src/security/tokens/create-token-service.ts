// Builds the TokenService of one realm and environment (keys loaded or created, refresh timer started).
import type { TokenService, TokenServiceOptions } from './token-service.js';

/** Loads (or on first start creates) the realm's signing key and starts the refresh timer. */
export async function createTokenService(opts: TokenServiceOptions): Promise<TokenService> {
  void opts;
  throw new TypeError('createTokenService: implementation lands in the next commit');
}
