import http from 'node:http';
import https from 'node:https';
import type { DeliverySender } from './delivery-types.ts';

// Connections to each receiver are kept open between deliveries (as a sender of thousands of webhooks
// a minute does); idle ones do not keep the process alive.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
} as const;

/** Fails the way fetch's AbortSignal.timeout does, so the attempt log says "timed out after …". */
function timeoutError(ms: number): Error {
  const err = new Error(`the delivery did not complete within ${ms} ms`);
  err.name = 'TimeoutError';
  return err;
}

/**
 * Real HTTP sender: POST with a hard timeout over the whole exchange; only the status matters (the
 * response body is read and dropped, redirects are not followed).
 */
export const httpSender: DeliverySender = (uri, headers, body, timeoutMs) =>
  new Promise<number>((resolve, reject) => {
    const url = new URL(uri);
    const isHttps = url.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    const req = (isHttps ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        agent: agents[isHttps ? 'https:' : 'http:'],
      },
      (res) => {
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          resolve(res.statusCode ?? 0);
        });
        res.resume();
      },
    );
    const timer = setTimeout(() => req.destroy(timeoutError(timeoutMs)), timeoutMs);
    timer.unref();
    function fail(err: Error): void {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', fail);
    req.end(payload);
  });
