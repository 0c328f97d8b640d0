// The peer bound of bench/workers.js: a node:http server doing no work (a fixed JSON body), as one
// process or as node:cluster with N workers (round robin through the primary, like `serve --workers`).
// Prints `serving on http://127.0.0.1:PORT ` on stderr once every worker listens.
// Run: node bench/lib/http-cluster.js <workers>   (0 = no cluster: one plain process)
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const n = Number(process.argv[2] ?? 1);
const body = JSON.stringify({ message: 'ok', user: 'u-1', role: 'viewer' });
const serve = () =>
  createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });

if (n === 0) {
  const s = serve().listen(0, '127.0.0.1', () =>
    process.stderr.write(`serving on http://127.0.0.1:${s.address().port} \n`),
  );
} else if (cluster.isPrimary) {
  // A fixed port picked by a throwaway listener: every worker must listen on the same one.
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const port = probe.address().port;
    probe.close(() => {
      let ready = 0;
      for (let i = 0; i < n; i++)
        cluster.fork({ PEER_PORT: String(port) }).on('listening', () => {
          if (++ready === n) process.stderr.write(`serving on http://127.0.0.1:${port} \n`);
        });
    });
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers)) w.kill();
    process.exit(0);
  });
} else {
  serve().listen(Number(process.env.PEER_PORT), '127.0.0.1');
}
