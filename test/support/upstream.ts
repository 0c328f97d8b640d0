// Real node:http upstream servers on 127.0.0.1:0 for outbound HTTP tests, counting requests and connections.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A running upstream. */
export interface Upstream {
  url: string;
  port: number;
  /** Requests received (method, url, headers, body). */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  /** TCP (or TLS) connections accepted. */
  connections: number;
  /** Requests whose client went away before the answer was complete. */
  aborted: number;
  server: Server;
  close(): Promise<void>;
}

/** Handler; the body is read before it runs. */
export type UpstreamHandler = (req: IncomingMessage & { body: string }, res: ServerResponse) => void | Promise<void>;

/** Starts an upstream (TLS when `tls` is given). */
export async function startUpstream(handler: UpstreamHandler, tls?: ServerOptions): Promise<Upstream> {
  const up: Partial<Upstream> & { requests: Upstream['requests']; connections: number; aborted: number } = { requests: [], connections: 0, aborted: 0 };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      up.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.on('close', () => {
        if (!res.writableFinished) up.aborted += 1;
      });
      void handler(Object.assign(req, { body }), res);
    });
  };
  const server = tls ? createTlsServer(tls, listener) : createServer(listener);
  server.on(tls ? 'secureConnection' : 'connection', () => (up.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  up.port = port;
  up.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  up.server = server;
  up.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return up as Upstream;
}

/** Sends JSON. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
