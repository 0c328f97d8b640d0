// Start-up deployment of the pipeline folders given to `pipegate serve`.
import { isPlatformError } from '../errors/index.js';
import { deployText } from '../deployments/deploy-pipeline.js';
import type { DeployTarget } from '../deployments/deploy-pipeline.js';
import type { PipelineFile } from './pipeline-files.js';

/**
 * Deploys the folder pipelines at start (docs/deployments.md "Start-up"): a file is deployed when its
 * major has no active version, when its minor is newer, or when it is the same minor with a changed
 * text. A file older than the active minor (a newer one was deployed with `pipegate deploy`) is
 * skipped with a warning, so a restart never silently undoes a hot deploy.
 */
export async function deployFolders(
  target: DeployTarget,
  files: readonly PipelineFile[],
  warn: (msg: string, d: Record<string, unknown>) => void,
): Promise<void> {
  for (const { file, text, name, major, minor } of files) {
    const active = await target.store.deployments.getActive(target.environment, name, major);
    if (active && active.minor > minor) {
      warn('a newer minor is deployed; folder file not deployed', {
        file,
        pipeline: `${name}@${major}`,
        active: `${major}.${active.minor}`,
        fileVersion: `${major}.${minor}`,
      });
      continue;
    }
    if (active && active.minor === minor && active.definition === text) continue;
    try {
      await deployText(target, file, text);
    } catch (err) {
      // Another node starting at the same moment deployed the same file first.
      const now = await target.store.deployments.getActive(target.environment, name, major);
      const sameFile = now?.definition === text;
      if (!(isPlatformError(err) && err.code === 'ERR_STORE_CONFLICT' && sameFile)) throw err;
    }
  }
}
