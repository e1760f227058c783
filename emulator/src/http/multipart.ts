/**
 * A `multipart/form-data` body (RFC 7578) split into its text fields and its `file` part, enough for
 * a signed storage form POST. Anything malformed gives null: the route answers 400, never a crash.
 */

export interface FormData {
  readonly fields: Map<string, string>;
  /** The bytes of the part named `file`, or null when there is none. */
  readonly file: Buffer | null;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function partName(headers: string): string | null {
  const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  if (!disposition || !/:\s*form-data\b/i.test(disposition)) return null;
  const match = /;\s*name="([^"]*)"/i.exec(disposition);
  return match ? (match[1] ?? null) : null;
}

export function parseMultipart(body: Buffer, boundary: string): FormData | null {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const fields = new Map<string, string>();
  let file: Buffer | null = null;
  let at = body.indexOf(delimiter);
  if (at !== 0) return null;
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') === '--')
      return { fields, file };
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString('latin1') !== '\r\n') return null;
    const headersEnd = body.indexOf('\r\n\r\n', afterDelimiter + 2, 'latin1');
    if (headersEnd < 0) return null;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`, 'latin1'), headersEnd + 4);
    if (next < 0) return null;
    const name = partName(body.subarray(afterDelimiter + 2, headersEnd).toString('utf8'));
    if (name === null) return null;
    const content = body.subarray(headersEnd + 4, next);
    if (name === 'file') file = Buffer.from(content);
    else fields.set(name, content.toString('utf8'));
    at = next + 2;
  }
}
