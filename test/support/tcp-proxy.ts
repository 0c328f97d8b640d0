// A real TCP proxy in front of a local service (Redis, PostgreSQL) whose link a test can cut and restore.
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';

/** A running proxy on 127.0.0.1:`port`. */
export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones (the port stays closed until `restore`). */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** Starts a proxy to `target` (e.g. 6379) on a free port. */
export async function startTcpProxy(target: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const make = (): Server =>
    createServer((client) => {
      const upstream = connect(target, targetHost);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end);
      upstream.on('close', end);
    });
  let server = make();
  const port = await listen(server, 0);
  const stop = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return {
    port,
    cut: stop,
    async restore() {
      server = make();
      await listen(server, port);
    },
    close: async () => {
      if (server.listening) await stop();
      else for (const s of sockets) s.destroy();
    },
  };
}
