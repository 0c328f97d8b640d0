// What `pipegate serve` prints once it listens, and its last record on shutdown: log records (JSON
// lines, or human lines on a terminal: src/cli/serve-output.ts), in the same stream as the gateway's.

/** One record of the start banner. */
export interface BannerRecord {
  msg: string;
  fields: Record<string, unknown>;
}

/** The start banner: where it serves, the admin credential, the token metadata and where usage is read. */
export function serveBanner(o: {
  url: string;
  adminUrl: string | null;
  internalUrl?: string | null;
  environment: string;
  realm: string;
}): BannerRecord[] {
  return [
    {
      msg: 'serving',
      fields: { url: o.url, environment: o.environment, realm: o.realm, stop: 'Ctrl-C or SIGTERM' },
    },
    o.adminUrl
      ? {
          msg: 'admin API',
          fields: {
            url: `${o.adminUrl}/admin`,
            metricsUrl: `${o.adminUrl}/metrics`,
            user: 'admin',
            password: 'printed once at the first start',
            cli: `--server ${o.adminUrl} with PIPEGATE_ADMIN_PASSWORD`,
          },
        }
      : { msg: 'admin API disabled', fields: { flag: '--admin-port 0' } },
    ...(o.adminUrl
      ? [
          {
            msg: 'web console',
            fields: { url: `${o.adminUrl}/console`, user: 'admin', docs: 'docs/console.md' },
          },
        ]
      : []),
    ...(o.internalUrl
      ? [
          {
            msg: 'internal listener',
            fields: { url: o.internalUrl, serves: 'internalApi pipelines' },
          },
        ]
      : []),
    {
      msg: 'token metadata',
      fields: {
        url: `${o.url}/.well-known/oauth-authorization-server/realms/${o.realm}`,
        jwksUrl: `${o.url}/.well-known/jwks.json`,
      },
    },
    {
      msg: 'token usage',
      fields: { command: `pipegate tokens usage --environment ${o.environment} --since 15m` },
    },
  ];
}
