// The CLI's client of the admin API (`--server URL`): Basic admin credential from the environment.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { PipelineInvalidError } from '../core/loader/index.js';
import type { ValidationIssue } from '../core/loader/index.js';
import { PlatformError, isErrorCode } from '../errors/index.js';
import type { ErrorDetails } from '../errors/index.js';

/** Where and as whom the CLI talks to a server. */
export interface AdminConnection {
  server: string;
  env: NodeJS.ProcessEnv;
}

function authorization(env: NodeJS.ProcessEnv): string {
  const password = env.PIPEGATE_ADMIN_PASSWORD;
  if (!password) {
    throw new PlatformError('ERR_CLI_USAGE', {
      reason: '--server needs PIPEGATE_ADMIN_PASSWORD (and PIPEGATE_ADMIN_USER, default admin)',
    });
  }
  return `Basic ${Buffer.from(`${env.PIPEGATE_ADMIN_USER || 'admin'}:${password}`).toString('base64')}`;
}

/** Rebuilds the server's coded error so the CLI reports it like a local one. */
function remoteError(status: number, body: Record<string, unknown>): Error {
  const code = typeof body.code === 'string' ? body.code : '';
  if (code === 'ERR_PIPELINE_INVALID' && Array.isArray(body.issues)) {
    const issues = body.issues as ValidationIssue[];
    return new PipelineInvalidError(issues[0]?.file ?? '', issues);
  }
  if (isErrorCode(code)) return new PlatformError(code, (body.details ?? {}) as ErrorDetails);
  if (status === 404)
    return new PlatformError(
      'ERR_GATEWAY_UNAVAILABLE',
      {},
      {
        message:
          'The server answered 404 to /admin: --server must name the admin listener (default http://127.0.0.1:8081, `serve --admin-port`), not the public one',
      },
    );
  if (status === 401)
    return new PlatformError(
      'ERR_GATEWAY_UNAUTHORIZED',
      {},
      { message: 'The server refused the admin credential' },
    );
  return new PlatformError(
    'ERR_GATEWAY_UNAVAILABLE',
    {},
    { message: `The server answered ${status}` },
  );
}

/** One admin request; resolves to the JSON body of a 2xx answer. */
export async function adminRequest(
  c: AdminConnection,
  method: string,
  path: string,
  body?: { text: string; contentType: string },
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { authorization: authorization(c.env) };
  // The admin API refuses writes not declared JSON or YAML (cross-site form protection).
  if (!body && method === 'POST') body = { text: '{}', contentType: 'application/json' };
  if (body) headers['content-type'] = body.contentType;
  let res: Response;
  try {
    res = await fetch(`${c.server.replace(/\/+$/, '')}/admin${path}`, {
      method,
      headers,
      body: body?.text,
    });
  } catch (err) {
    throw new PlatformError(
      'ERR_GATEWAY_UNAVAILABLE',
      {},
      { message: `Cannot reach ${c.server}`, cause: err },
    );
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw remoteError(res.status, json);
  return json;
}

/** Deploys a local file through the admin API. */
export async function remoteDeploy(
  c: AdminConnection,
  file: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PlatformError('ERR_PIPELINE_FILE_NOT_FOUND', { file }, { cause: err });
  }
  const name = encodeURIComponent(basename(file));
  const contentType = file.toLowerCase().endsWith('.json')
    ? 'application/json'
    : 'application/yaml';
  return adminRequest(c, 'POST', `/deployments?file=${name}`, { text, contentType });
}
