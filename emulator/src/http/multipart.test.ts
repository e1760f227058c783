import { describe, expect, it } from 'vitest';
import { boundaryOf, parseMultipart } from './multipart.ts';

async function encoded(form: FormData): Promise<{ body: Buffer; type: string }> {
  const request = new Request('http://x/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type') ?? '' };
}

describe('multipart/form-data', () => {
  it('reads the fields and the file part a fetch FormData sends, bytes unchanged', async () => {
    const form = new FormData();
    form.append('key', 'tmp/a/bulk/1/vars.jsonl');
    form.append('policy', 'eyJ9');
    const bytes = Uint8Array.from([0x7b, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x7d]);
    form.append('file', new Blob([bytes]), 'vars.jsonl');
    const { body, type } = await encoded(form);
    const boundary = boundaryOf(type);
    expect(boundary).not.toBeNull();
    const parsed = parseMultipart(body, boundary ?? '');
    expect(parsed?.fields).toEqual(
      new Map([
        ['key', 'tmp/a/bulk/1/vars.jsonl'],
        ['policy', 'eyJ9'],
      ]),
    );
    expect(parsed?.file).toEqual(Buffer.from(bytes));
  });

  it('gives null for anything malformed, and no boundary for other content types', () => {
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
    expect(boundaryOf('multipart/form-data; boundary="b1"')).toBe('b1');
    for (const text of [
      '',
      'garbage',
      '--b1\r\nno blank line',
      '--b1\r\nContent-Disposition: form-data; name="a"\r\n\r\nnever closed',
      '--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n--b1--',
      '--b1junk',
    ])
      expect(parseMultipart(Buffer.from(text, 'latin1'), 'b1')).toBeNull();
    expect(parseMultipart(Buffer.from('--b1--\r\n'), 'b1')).toEqual({ fields: new Map(), file: null });
  });
});
