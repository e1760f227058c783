import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt and a per-user salt. The parameters travel inside the hash string
 * (`scrypt$N$r$p$salt$hash`, base64url), so they can be raised later without breaking old hashes.
 * Pure apart from the CPU work: the salt's randomness is passed in.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, params.keyLength, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  randomBytes: (n: number) => Buffer,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export function parseHash(stored: string): ParsedHash {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key)
    throw new Error('unrecognised password hash format');
  const keyBuf = Buffer.from(key, 'base64url');
  const params = { N: Number(n), r: Number(r), p: Number(p), keyLength: keyBuf.length };
  if (![params.N, params.r, params.p].every((v) => Number.isSafeInteger(v) && v > 0)) {
    throw new Error('password hash has invalid scrypt parameters');
  }
  return { params, salt: Buffer.from(salt, 'base64url'), key: keyBuf };
}

/** Constant-time comparison of the derived key; a malformed stored hash is an error, not a mismatch. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, key } = parseHash(stored);
  const candidate = await derive(password, salt, params);
  return candidate.length === key.length && timingSafeEqual(candidate, key);
}

/**
 * A fixed hash to verify against when the email is unknown, so an unknown email costs the same time
 * as a wrong password and the two cannot be told apart.
 */
export const DUMMY_HASH = `scrypt$${DEFAULT_SCRYPT.N}$${DEFAULT_SCRYPT.r}$${DEFAULT_SCRYPT.p}$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`;
