import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The AES-256-GCM key for secrets at rest: RETAILOS_SECRET_KEY when set, otherwise a key generated
 * once and kept (mode 0600) in the data folder, for the embedded default.
 */
export function loadOrCreateSecretKey(
  configured: string | undefined,
  dataDir: string,
  randomBytes: (n: number) => Buffer,
): Buffer {
  if (configured) return Buffer.from(configured, 'hex');
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex))
      throw new Error(`${file} is not a 64-hex-character key; fix or remove it`);
    return Buffer.from(hex, 'hex');
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
