import { createEmulator, type Emulator, type EmulatorOptions } from './control/emulator.ts';
import { buildServer } from './http/server.ts';

export interface StartOptions extends EmulatorOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  host: string;
  emulator: Emulator;
  /** `http://HOST:PORT/shops/{shop}` */
  shopOriginTemplate: string;
  shopOrigin(shop: string): string;
  close(): Promise<void>;
}

/** Starts the emulator's HTTP server; resolves once it listens. */
export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const onError = options.onError ?? ((err: unknown) => console.error('[shopify-emulator]', err));
  const emulator = createEmulator({ ...options, onError });
  const server = await buildServer(emulator, { onError });
  await server.listen({ host, port: options.port ?? 0 });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  emulator.baseUrl = url;
  return {
    url,
    port,
    host,
    emulator,
    shopOriginTemplate: `${url}/shops/{shop}`,
    shopOrigin: (shop) => `${url}/shops/${shop.endsWith('.myshopify.com') ? shop : `${shop}.myshopify.com`}`,
    async close() {
      emulator.close();
      await emulator.bulk.whenIdle();
      await server.close();
    },
  };
}
