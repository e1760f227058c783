/**
 * Serving result files at their signed URLs (owner B mounts it at `GET /_emulator/bulk/:file`).
 *
 * Fastify:  app.get('/_emulator/bulk/:file', (req, reply) => {
 *             const r = resolveBulkDownload(operations, secret, req.url);
 *             return reply.code(r.status).headers(r.headers).send(r.body);
 *           });
 * Plain Node: `bulkDownloadHandler(operations, secret)` is a `(req, res)` listener.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { isExpired } from './operation.ts';
import type { BulkOperations } from './registry.ts';
import { checkDownloadUrl } from './signed-url.ts';

export interface DownloadResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The file as a stream (200) or a short plain-text reason. */
  readonly body: Readable | string;
}

function refusal(status: number, text: string): DownloadResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

/** `url` is the request path with its query string. */
export function resolveBulkDownload(
  operations: BulkOperations,
  secret: string,
  url: string,
): DownloadResponse {
  const now = operations.nowSeconds();
  const check = checkDownloadUrl(url, secret, now);
  if (!check.ok) {
    if (check.reason === 'not_found') return refusal(404, 'Not found');
    if (check.reason === 'expired') return refusal(400, 'ExpiredToken: the signed URL has expired');
    return refusal(403, 'SignatureDoesNotMatch: the signature does not match');
  }
  const record = operations.recordById(check.id);
  if (!record || !record.hasResult || record.filePath === null) return refusal(404, 'Not found');
  if (isExpired(record, now)) return refusal(400, 'ExpiredToken: the signed URL has expired');
  const headers: Record<string, string> = {
    'content-type': 'application/jsonl',
    'content-disposition': `attachment; filename="bulk-${record.id}.jsonl"`,
  };
  if (record.fileSize !== null) headers['content-length'] = String(record.fileSize);
  return { status: 200, headers, body: createReadStream(record.filePath) };
}

export function bulkDownloadHandler(
  operations: BulkOperations,
  secret: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const response = resolveBulkDownload(operations, secret, req.url ?? '/');
    res.writeHead(response.status, response.headers);
    if (typeof response.body === 'string') {
      res.end(response.body);
      return;
    }
    response.body.on('error', (error) => res.destroy(error));
    response.body.pipe(res);
  };
}
