// A ReplayCache on the store: one-time ids shared by every node and worker without Redis.
import { createHash } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { ReplayCache } from './replay-cache.js';

/**
 * Ids are kept as SHA-256 of `name:id` (fixed size whatever the client sent); expired rows are
 * taken over on reuse and deleted by the retention task (`purge`). A store error propagates: the
 * caller answers 503, never accepts a proof it could not record.
 */
export class StoreReplayCache implements ReplayCache {
  constructor(
    private readonly store: Store,
    private readonly environment: string,
    private readonly name: string,
  ) {}

  checkAndRemember(id: string, expiresAtMs: number): Promise<boolean> {
    const key = createHash('sha256').update(`${this.name}:${id}`).digest('base64url');
    return this.store.replay.remember(this.environment, key, expiresAtMs);
  }

  /** Deletes up to `limit` expired ids (the retention task calls it). */
  purge(limit: number): Promise<number> {
    return this.store.replay.purge(this.environment, limit);
  }
}
