import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (access and refresh tokens). Stored form:
 * "v1.<iv b64url>.<tag b64url>.<ciphertext b64url>". The associated data binds a value to its row
 * (e.g. the shop), so a ciphertext copied to another row does not decrypt.
 */
export interface SecretBox {
  seal(plain: string, associated: string): string;
  open(sealed: string, associated: string): string;
}

export function createSecretBox(key: Buffer, randomBytes: (n: number) => Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  return {
    seal(plain, associated) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associated));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, associated) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associated));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
