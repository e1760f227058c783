import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../store/index.ts';
import { createStagedUploads, UPLOAD_POLICY_SECONDS, type StagedTarget } from './staged-uploads.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'staged-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const clock = manualClock(new Date('2026-05-01T12:00:00Z'));
const uploads = createStagedUploads({
  dataDir,
  baseUrl: () => 'http://127.0.0.1:4010/',
  signingSecret: 'secret',
  clock,
  maxBytes: 10,
});

const input = {
  resource: 'BULK_MUTATION_VARIABLES',
  filename: 'my vars.jsonl',
  mimeType: 'text/jsonl',
  httpMethod: 'POST',
};

function targetOf(shop = 'a.myshopify.com'): StagedTarget {
  const created = uploads.create(shop, [input]);
  expect(created.userErrors).toEqual([]);
  const target = created.stagedTargets?.[0];
  if (!target) throw new Error('no target');
  return target;
}

const fieldsOf = (t: StagedTarget) => new Map(t.parameters.map((p) => [p.name, p.value]));

describe('staged uploads', () => {
  it('a target names its key under the shop, the upload is kept for that shop only', () => {
    const target = targetOf();
    expect(target.url).toBe('http://127.0.0.1:4010/_emulator/staged-uploads');
    const fields = fieldsOf(target);
    const key = fields.get('key') ?? '';
    expect(key).toMatch(/^tmp\/a\.myshopify\.com\/bulk\/[0-9a-f-]{36}\/my_vars\.jsonl$/);
    expect(fields.get('Content-Type')).toBe('text/jsonl');
    expect(uploads.read('a.myshopify.com', key)).toBeNull();
    const reply = uploads.receive(fields, Buffer.from('{}\n'));
    expect(reply.status).toBe(201);
    expect(reply.body).toContain(`<Key>${key}</Key>`);
    expect(uploads.read('a.myshopify.com', key)?.toString()).toBe('{}\n');
    expect(uploads.read('b.myshopify.com', key)).toBeNull();
  });

  it('refuses a forged signature, a changed key, an expired policy, no file and a file over the limit', () => {
    const fields = fieldsOf(targetOf());
    const forged = new Map(fields).set('x-goog-signature', '0'.repeat(64));
    expect(uploads.receive(forged, Buffer.from('{}')).status).toBe(403);
    const moved = new Map(fields).set('key', 'tmp/a.myshopify.com/bulk/other/x');
    expect(uploads.receive(moved, Buffer.from('{}')).status).toBe(403);
    expect(uploads.read('a.myshopify.com', 'tmp/a.myshopify.com/bulk/other/x')).toBeNull();
    const garbled = new Map(fields).set('policy', '%%%');
    expect(uploads.receive(garbled, Buffer.from('{}')).status).toBe(403);
    expect(uploads.receive(fields, null).status).toBe(400);
    const big = uploads.receive(fields, Buffer.alloc(11, 0x20));
    expect(big.status).toBe(400);
    expect(big.body).toContain('EntityTooLarge');
    const later = fieldsOf(targetOf());
    clock.advance(UPLOAD_POLICY_SECONDS * 1000);
    const expired = uploads.receive(later, Buffer.from('{}'));
    expect(expired.status).toBe(400);
    expect(expired.body).toContain('ExpiredToken');
  });

  it('refuses a blank filename and a declared size over the limit with userErrors', () => {
    const created = uploads.create('a.myshopify.com', [
      { ...input, filename: ' ' },
      { ...input, fileSize: '11' },
    ]);
    expect(created.stagedTargets).toBeNull();
    expect(created.userErrors.map((e) => e.field)).toEqual([
      ['input', '0', 'filename'],
      ['input', '1', 'fileSize'],
    ]);
  });
});
