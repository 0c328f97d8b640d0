// What `pipegate serve` prints once it listens, and its last line on shutdown.

/** The start banner: where it serves, the admin credential, the token metadata and where usage is read. */
export function serveBanner(o: {
  url: string;
  adminUrl: string | null;
  internalUrl?: string | null;
  environment: string;
  realm: string;
}): string {
  const admin = o.adminUrl
    ? `  Admin API      ${o.adminUrl}/admin and ${o.adminUrl}/metrics — user "admin", password printed once at the first start (CLI: --server ${o.adminUrl} with PIPEGATE_ADMIN_PASSWORD)`
    : '  Admin API      disabled (--admin-port 0)';
  return [
    '',
    `Pipegate is serving on ${o.url} (environment ${o.environment}, realm ${o.realm}). Ctrl-C stops it.`,
    admin,
    ...(o.adminUrl ? [`  Web console    ${o.adminUrl}/console — sign in as "admin" (docs/console.md)`] : []),
    ...(o.internalUrl ? [`  Internal       ${o.internalUrl} (internalApi pipelines)`] : []),
    `  Token metadata ${o.url}/.well-known/oauth-authorization-server/realms/${o.realm} (JWKS: ${o.url}/.well-known/jwks.json)`,
    `  Token usage    pipegate tokens usage --environment ${o.environment} --since 15m`,
    '',
  ].join('\n');
}

/** The final line, once in-flight requests finished and the store is closed. */
export function stoppedLine(signal: string): string {
  return `Pipegate stopped (${signal}).\n`;
}
