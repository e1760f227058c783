import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, DUMMY_HASH, hashPassword, parseHash, verifyPassword } from './password.ts';

const cheap = { N: 1024, r: 8, p: 1, keyLength: 32 };

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', randomBytes, cheap);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterz', hash)).toBe(false);
  });

  it('stores its parameters and a per-user salt in the hash string', async () => {
    const h1 = await hashPassword('same password!', randomBytes, cheap);
    const h2 = await hashPassword('same password!', randomBytes, cheap);
    expect(h1).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(h1).not.toBe(h2);
    expect(parseHash(h1).params).toEqual(cheap);
  });

  it('uses the default parameters when none are given', async () => {
    const hash = await hashPassword('a default password', randomBytes);
    expect(parseHash(hash).params).toEqual(DEFAULT_SCRYPT);
  });

  it('treats Unicode-equivalent passwords as equal (NFKC)', async () => {
    const hash = await hashPassword('caf\u00e9-password', randomBytes, cheap);
    expect(await verifyPassword('cafe\u0301-password', hash)).toBe(true);
  });

  it('the dummy hash parses and matches nothing', async () => {
    expect(parseHash(DUMMY_HASH).params).toEqual(DEFAULT_SCRYPT);
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
  });

  it('a malformed stored hash is an error, not a mismatch', async () => {
    await expect(verifyPassword('x', 'md5$abc')).rejects.toThrow('unrecognised password hash format');
    await expect(verifyPassword('x', 'scrypt$0$8$1$AAAA$AAAA')).rejects.toThrow('invalid scrypt parameters');
  });
});
