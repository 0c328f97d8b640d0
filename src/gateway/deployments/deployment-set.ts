// The deployments a server is serving: reloaded from the store on change-feed events, never left broken.
import type { RouteTable } from '../../deployments/route-table.js';
import { buildRouteTable, compileRecord } from '../../deployments/compile-deployment.js';
import type { ServedPipeline } from '../../deployments/compile-deployment.js';
import type { DeployTarget } from '../../deployments/deploy-pipeline.js';

/** Reports problems found while reloading (written to the server log). */
export type ReloadWarning = (msg: string, details: Record<string, unknown>) => void;

/**
 * Holds the route table. `reload()` reads the active deployments, reuses already compiled ones (by
 * deployment id), and swaps the table atomically. A stored deployment that no longer compiles, or
 * whose routes clash with one already serving (two CLIs racing on a shared store), is skipped with a
 * warning and the version served before for that slot stays in place, so a bad write never takes a
 * working endpoint down.
 */
export class DeploymentSet {
  #table: RouteTable<ServedPipeline> = buildRouteTable([]);
  #bySlot = new Map<string, ServedPipeline>();
  #reloading: Promise<void> | null = null;
  #again = false;

  #loaded = false;

  constructor(
    private readonly target: DeployTarget,
    private readonly warn: ReloadWarning,
    /** Told of every deploy, undeploy and rollback a reload applies (the server's info log). */
    private readonly inform: ReloadWarning = () => undefined,
  ) {}

  get table(): RouteTable<ServedPipeline> {
    return this.#table;
  }

  /** Served pipelines by `name@major`. */
  get served(): ReadonlyMap<string, ServedPipeline> {
    return this.#bySlot;
  }

  /** Reloads from the store; concurrent calls coalesce into one more pass. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      try {
        do {
          this.#again = false;
          await this.#reloadOnce();
        } while (this.#again);
      } finally {
        this.#reloading = null;
      }
    })();
    return this.#reloading;
  }

  async #reloadOnce(): Promise<void> {
    const records = await this.target.store.deployments.listActive(this.target.environment);
    const next = new Map<string, ServedPipeline>();
    const previousById = new Map([...this.#bySlot.values()].map((s) => [s.deploymentId, s]));
    // Oldest first: on a clash the deployment that was there first keeps serving.
    records.sort((a, b) => a.deployedAt - b.deployedAt);
    let table = buildRouteTable([]);
    for (const record of records) {
      const key = `${record.name}@${record.major}`;
      let served = previousById.get(record.id);
      if (!served) {
        try {
          served = compileRecord(record, this.target);
        } catch (error) {
          this.warn('stored deployment does not compile; previous version kept', {
            deployment: record.id,
            pipeline: key,
            error: String(error),
          });
          const old = this.#bySlot.get(key);
          if (old) served = old;
          else continue;
        }
      }
      const candidate = new Map(next).set(key, served);
      try {
        table = buildRouteTable(candidate.values());
        next.set(key, served);
      } catch (error) {
        this.warn('stored deployment has conflicting routes; not served', {
          deployment: record.id,
          pipeline: key,
          error: String(error),
        });
        const old = this.#bySlot.get(key);
        if (old && old !== served) {
          try {
            table = buildRouteTable(new Map(next).set(key, old).values());
            next.set(key, old);
          } catch {
            // The old version clashes too: the slot stays unserved.
          }
        }
      }
    }
    const previous = this.#bySlot;
    this.#bySlot = next;
    this.#table = table;
    this.#report(previous, next);
  }

  /** Logs what changed: the first load lists what is served, later ones each deploy, undeploy and rollback. */
  #report(
    previous: ReadonlyMap<string, ServedPipeline>,
    next: ReadonlyMap<string, ServedPipeline>,
  ): void {
    const first = !this.#loaded;
    this.#loaded = true;
    const fields = (s: ServedPipeline): Record<string, unknown> => ({
      pipeline: s.pipeline.name,
      version: `${s.pipeline.versionMajor}.${s.minor}`,
      deployment: s.deploymentId,
      paths: s.trigger.paths,
    });
    for (const [key, served] of next) {
      const old = previous.get(key);
      if (old === served) continue;
      if (first) this.inform('deployment loaded', fields(served));
      else if (!old) this.inform('deployment applied', { action: 'deploy', ...fields(served) });
      else {
        const action =
          served.minor < old.minor || served.deployedAt < old.deployedAt ? 'rollback' : 'deploy';
        this.inform('deployment applied', {
          action,
          ...fields(served),
          replaced: `${old.pipeline.versionMajor}.${old.minor}`,
        });
      }
    }
    for (const [key, old] of previous) {
      if (!next.has(key)) this.inform('deployment applied', { action: 'undeploy', ...fields(old) });
    }
  }
}
