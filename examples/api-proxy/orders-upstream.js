// A stand-in "orders" REST service for the api-proxy example: node:http on 127.0.0.1, API key required.
// Run: node examples/api-proxy/orders-upstream.js   (ORDERS_PORT, default 9090; ORDERS_KEY, default demo-orders-key)
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const orders = {
  'A-1001': {
    id: 'A-1001',
    status: 'shipped',
    customer: { id: 'c-7', email: 'ada@example.com' },
    items: [
      { sku: 'KB-01', qty: 1, unitPrice: 49.9 },
      { sku: 'MS-02', qty: 2, unitPrice: 19.5 },
    ],
    internalNotes: 'fraud score 0.02',
  },
};

/** Starts the service; resolves with the server once it listens. */
export function startOrdersUpstream({ port = 9090, key = 'demo-orders-key' } = {}) {
  const server = createServer((req, res) => {
    const send = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.headers['x-orders-key'] !== key) return send(401, { error: 'missing or wrong X-Orders-Key' });
    const m = /^\/orders\/([A-Za-z0-9-]+)$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) return send(404, { error: 'not found' });
    const order = orders[m[1]];
    return order ? send(200, order) : send(404, { error: `order ${m[1]} not found` });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startOrdersUpstream({
    port: Number(process.env.ORDERS_PORT ?? 9090),
    key: process.env.ORDERS_KEY ?? 'demo-orders-key',
  });
  process.stderr.write(`orders upstream listening on http://127.0.0.1:${server.address().port}\n`);
  process.once('SIGTERM', () => server.close());
  process.once('SIGINT', () => server.close());
}
