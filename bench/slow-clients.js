// Measurement (issue 18 item 5): how long a slow-headers and a slow-body client hold a connection, default limits.
// Run: npm run build && node bench/slow-clients.js [--clients 200]
import { connect } from 'node:net';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '200' } } });
const CLIENTS = Number(values.clients);

const ECHO = `name: up
version: "1.0"
trigger: { type: rest, methods: [GET, POST], auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { ok: true }
`;

/** Opens a connection sending `first`, then `drip` every second; resolves with ms until the server closes it. */
function slowClient(url, first, drip) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(first));
    const timer = setInterval(() => socket.write(drip), 1000);
    socket.on('error', () => undefined);
    socket.resume();
    socket.once('close', () => {
      clearInterval(timer);
      resolve(Date.now() - t0);
    });
  });
}

const { startGateway } = await import('../dist/gateway/index.js');
const { loadMasterKey } = await import('../dist/security/index.js');
const { createConsumer } = await import('../dist/consumers/consumer-admin.js');
const root = await mkdtemp(join(tmpdir(), 'pg-slow-'));
const dir = join(root, 'pipelines');
await mkdir(dir);
await writeFile(join(dir, 'up.yaml'), ECHO);
const dataDir = join(root, 'data');
const gw = await startGateway({ dirs: [dir], port: 0, adminPort: 0, dataDir, env: {}, logger: false });
const master = await loadMasterKey({ env: {}, dataDir, create: false });
const { apiKey } = await createConsumer(
  { store: gw.store, master, environment: gw.environment },
  { name: 'c', pipelines: ['*'], scopes: null },
);
const path = '/pipeline/local/v1/up';
const headers = [];
const bodies = [];
for (let i = 0; i < CLIENTS / 2; i++) {
  headers.push(slowClient(gw.url, `GET ${path} HTTP/1.1\r\n`, 'X-Slow: 1\r\n'));
  bodies.push(
    slowClient(
      gw.url,
      `POST ${path} HTTP/1.1\r\nHost: x\r\napikey: ${apiKey}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`,
      ' ',
    ),
  );
}
await new Promise((r) => setTimeout(r, 1000));
const normal = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const r = await fetch(`${gw.url}${path}`, { headers: { apikey: apiKey } });
  await r.text();
  normal.push(performance.now() - t0);
  await new Promise((res) => setTimeout(res, 500));
}
const h = (await Promise.all(headers)).sort((a, b) => a - b);
const b = (await Promise.all(bodies)).sort((a, b) => a - b);
await gw.close();
await rm(root, { recursive: true, force: true });
const s = (ms) => (ms / 1000).toFixed(1);
console.log(`${CLIENTS / 2} slow-header and ${CLIENTS / 2} slow-body connections (1 write per second), default limits`);
console.log(`slow headers closed after: min ${s(h[0])} s, median ${s(h[h.length >> 1])} s, max ${s(h.at(-1))} s`);
console.log(`slow bodies closed after:  min ${s(b[0])} s, median ${s(b[b.length >> 1])} s, max ${s(b.at(-1))} s`);
normal.sort((a, b) => a - b);
console.log(`normal requests meanwhile: median ${normal[5].toFixed(0)} ms, max ${normal.at(-1).toFixed(0)} ms`);
