// Reads a response body with decompression (gzip, deflate, br) and a cap counted on the decompressed bytes.
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { PlatformError } from '../errors/index.js';

function decoderFor(encoding: string): NodeJS.ReadWriteStream | null | 'unsupported' {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return 'unsupported';
  }
}

/** Drops the connection of an unread body; the stream's own abort error is expected and ignored. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * The whole body as a Buffer. Over `limit` bytes (decompressed) the read stops at once and the
 * connection is dropped (ERR_HTTP_RESPONSE_TOO_LARGE): a compression bomb never fills memory.
 */
export async function readBody(res: Dispatcher.ResponseData, limit: number, origin: string): Promise<Buffer> {
  const tooLarge = (): PlatformError => new PlatformError('ERR_HTTP_RESPONSE_TOO_LARGE', { origin, limit });
  const declared = Number(res.headers['content-length']);
  const encodingHeader = res.headers['content-encoding'];
  const encoding = (Array.isArray(encodingHeader) ? encodingHeader.join(',') : (encodingHeader ?? '')).trim().toLowerCase();
  if (encoding === '' && Number.isFinite(declared) && declared > limit) {
    discard(res.body);
    throw tooLarge();
  }
  const decoder = decoderFor(encoding);
  if (decoder === 'unsupported') {
    discard(res.body);
    throw new PlatformError('ERR_HTTP_NETWORK', { origin, reason: `unsupported Content-Encoding "${encoding}"` });
  }
  const source: Readable = decoder ? (res.body.pipe(decoder) as unknown as Readable) : res.body;
  if (decoder) res.body.on('error', (err: Error) => (decoder as unknown as Readable).destroy(err));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    // Events rather than an async iterator: one fewer promise per chunk on the hot path.
    await new Promise<void>((resolve, reject) => {
      source.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) return reject(tooLarge());
        chunks.push(chunk);
      });
      source.once('end', resolve);
      source.once('error', reject);
    });
  } catch (err) {
    discard(res.body);
    if (decoder) discard(decoder as unknown as Readable);
    if (err instanceof PlatformError) throw err;
    if (err instanceof Error && (err as { code?: string }).code?.startsWith('Z_')) {
      throw new PlatformError('ERR_HTTP_NETWORK', { origin, reason: `the ${encoding} body is corrupt` }, { cause: err });
    }
    throw err;
  }
  return Buffer.concat(chunks, total);
}
