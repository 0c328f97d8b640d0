// The `pipegate serve --help` data: one line per option and examples (kept apart from serve.ts, which changes often).
import type { Command } from '../command.js';

export const serveHelp: Pick<Command, 'options' | 'examples'> = {
  options: {
    '--port N': 'main listener port; 0 picks a free one (default PIPEGATE_PORT, else 8080)',
    '--host ADDR': 'address to listen on (default PIPEGATE_HOST, else 127.0.0.1)',
    '--internal-port N': 'port of the internal listener for internalApi pipelines (default none)',
    '--public-url URL':
      'base URL clients use: token issuer and jwks_uri (default the listening address)',
    '--demo': 'create a demo consumer and print the five-minute walkthrough',
  },
  examples: [
    'pipegate serve examples/jwt-auth --demo',
    'pipegate serve pipelines --port 8080 --host 0.0.0.0 --public-url https://api.example.com',
  ],
};
