/**
 * An order-free checksum of one side of a kind: the count of records and the XOR of their snapshot
 * hashes' first 64 bits. Equal on both sides after a run means every record was compared and agrees
 * (a completeness proof); a record can be taken out again (XOR), so a repair moves it.
 */
export interface Checksum {
  count: number;
  xor: bigint;
}

export const emptyChecksum = (): Checksum => ({ count: 0, xor: 0n });

const bits = (hash: string): bigint => BigInt(`0x${hash.replace(/[^0-9a-f]/gi, '').slice(0, 16) || '0'}`);

export function add(c: Checksum, hash: string | undefined): void {
  if (hash === undefined) return;
  c.count += 1;
  c.xor ^= bits(hash);
}

export function remove(c: Checksum, hash: string | undefined): void {
  if (hash === undefined) return;
  c.count -= 1;
  c.xor ^= bits(hash);
}

export const checksumJson = (c: Checksum): { count: number; checksum: string } => ({
  count: c.count,
  checksum: c.xor.toString(16).padStart(16, '0'),
});

export const checksumOf = (j: { count: number; checksum: string }): Checksum => ({
  count: j.count,
  xor: BigInt(`0x${j.checksum}`),
});
