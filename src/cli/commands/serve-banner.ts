// What `pipegate serve` prints once it listens, and its last line on shutdown.

/** The start banner: where it serves, the admin credential, the token metadata and where usage is read. */
export function serveBanner(o: { url: string; environment: string; realm: string }): string {
  return [
    '',
    `Pipegate is serving on ${o.url} (environment ${o.environment}, realm ${o.realm}). Ctrl-C stops it.`,
    `  Admin API      ${o.url}/admin — user "admin", password printed once at the first start (CLI: --server ${o.url} with PIPEGATE_ADMIN_PASSWORD)`,
    `  Token metadata ${o.url}/.well-known/oauth-authorization-server/realms/${o.realm} (JWKS: ${o.url}/.well-known/jwks.json)`,
    `  Token usage    pipegate tokens usage --environment ${o.environment} --since 15m`,
    '',
  ].join('\n');
}

/** The final line, once in-flight requests finished and the store is closed. */
export function stoppedLine(signal: string): string {
  return `Pipegate stopped (${signal}).\n`;
}
