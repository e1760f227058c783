/**
 * Staged uploads for bulk mutation variables (`stagedUploadsCreate` with `BULK_MUTATION_VARIABLES`).
 *
 * Shopify answers with a signed form POST to its cloud storage: a `url` and `parameters` (the `key`,
 * which the app then passes as `stagedUploadPath`, the content type, a policy and its signature). The
 * emulator serves that target itself at `STAGED_UPLOAD_PATH`: a multipart form with the parameters and
 * a `file` part, checked like signed storage (the signature, the key, the expiry, the size), answered
 * `201` with storage's XML. Files stay on disk until the emulator's data directory goes.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the emulator serves upload targets (Shopify: its cloud storage bucket's origin). */
export const STAGED_UPLOAD_PATH = '/_emulator/staged-uploads';

/** Bulk mutation variables files up to 100 MB (2026-01 changelog "Faster bulk operations"). */
export const MAX_BULK_VARIABLES_BYTES = 100 * 1024 * 1024;

/** How long a target's policy lets the upload happen (unconfirmed on Shopify; an hour here). */
export const UPLOAD_POLICY_SECONDS = 60 * 60;

export interface StagedUploadInput {
  readonly resource: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly httpMethod?: string | null;
  readonly fileSize?: string | null;
}

export interface StagedTarget {
  readonly url: string;
  readonly resourceUrl: string | null;
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
}

export interface StagedUploadUserError {
  readonly field: string[];
  readonly message: string;
}

export interface UploadReply {
  readonly status: number;
  readonly body: string;
}

export interface StagedUploads {
  /** Targets for one shop's inputs (already checked to be BULK_MUTATION_VARIABLES over POST). */
  create(
    shop: string,
    inputs: readonly StagedUploadInput[],
  ): {
    stagedTargets: StagedTarget[] | null;
    userErrors: StagedUploadUserError[];
  };
  /** A multipart POST to the target: its text fields and its `file` part (null when missing). */
  receive(fields: ReadonlyMap<string, string>, file: Buffer | null): UploadReply;
  /** The uploaded file behind a `stagedUploadPath` of this shop, or null. */
  read(shop: string, key: string): Buffer | null;
}

export interface StagedUploadOptions {
  readonly dataDir: string;
  readonly baseUrl: () => string;
  readonly signingSecret: string;
  readonly clock: { now(): Date };
  readonly maxBytes?: number;
}

interface Policy {
  readonly key: string;
  readonly shop: string;
  readonly expires: number;
  readonly maxBytes: number;
}

const sign = (secret: string, policy: string): string =>
  createHmac('sha256', secret).update(policy).digest('hex');

function safeName(filename: string): string {
  const name = filename.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return name === '' ? 'bulk_op_vars' : name;
}

function storageError(status: number, code: string, message: string): UploadReply {
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return { status, body };
}

function readPolicy(encoded: string): Policy | null {
  try {
    const value = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Partial<Policy>;
    if (
      typeof value.key !== 'string' ||
      typeof value.shop !== 'string' ||
      typeof value.expires !== 'number' ||
      typeof value.maxBytes !== 'number'
    )
      return null;
    return value as Policy;
  } catch {
    return null;
  }
}

export function createStagedUploads(options: StagedUploadOptions): StagedUploads {
  const dir = join(options.dataDir, 'staged');
  mkdirSync(dir, { recursive: true });
  const maxBytes = options.maxBytes ?? MAX_BULK_VARIABLES_BYTES;
  /** key → file on disk and the shop it belongs to. */
  const files = new Map<string, { shop: string; path: string }>();
  const nowSeconds = (): number => Math.floor(options.clock.now().getTime() / 1000);

  function target(shop: string, input: StagedUploadInput): StagedTarget {
    const key = `tmp/${shop}/bulk/${randomUUID()}/${safeName(input.filename)}`;
    const policy: Policy = { key, shop, expires: nowSeconds() + UPLOAD_POLICY_SECONDS, maxBytes };
    const encoded = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
    return {
      url: `${options.baseUrl().replace(/\/+$/, '')}${STAGED_UPLOAD_PATH}`,
      resourceUrl: null,
      parameters: [
        { name: 'key', value: key },
        { name: 'Content-Type', value: input.mimeType },
        { name: 'success_action_status', value: '201' },
        { name: 'acl', value: 'private' },
        { name: 'policy', value: encoded },
        { name: 'x-goog-algorithm', value: 'HMAC-SHA256' },
        { name: 'x-goog-signature', value: sign(options.signingSecret, encoded) },
      ],
    };
  }

  return {
    create(shop, inputs) {
      const userErrors: StagedUploadUserError[] = [];
      inputs.forEach((input, i) => {
        if (input.filename.trim() === '')
          userErrors.push({ field: ['input', String(i), 'filename'], message: "Filename can't be blank" });
        const size = input.fileSize == null ? null : Number(input.fileSize);
        if (size !== null && size > maxBytes)
          userErrors.push({
            field: ['input', String(i), 'fileSize'],
            message: `File size must be less than or equal to ${maxBytes} bytes`,
          });
      });
      if (userErrors.length > 0) return { stagedTargets: null, userErrors };
      return { stagedTargets: inputs.map((input) => target(shop, input)), userErrors };
    },
    receive(fields, file) {
      const encoded = fields.get('policy') ?? '';
      const given = Buffer.from(fields.get('x-goog-signature') ?? '', 'utf8');
      const wanted = Buffer.from(sign(options.signingSecret, encoded), 'utf8');
      const policy = readPolicy(encoded);
      if (!policy || given.length !== wanted.length || !timingSafeEqual(given, wanted))
        return storageError(
          403,
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match.',
        );
      if (fields.get('key') !== policy.key)
        return storageError(403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: key');
      if (nowSeconds() >= policy.expires)
        return storageError(400, 'ExpiredToken', 'Invalid argument: the policy has expired.');
      if (file === null) return storageError(400, 'InvalidArgument', 'Cannot create buckets using a POST.');
      if (file.length > policy.maxBytes)
        return storageError(
          400,
          'EntityTooLarge',
          'Your proposed upload is larger than the maximum object size.',
        );
      const path = join(dir, `${createHmac('sha256', 'file').update(policy.key).digest('hex')}.jsonl`);
      writeFileSync(path, file);
      files.set(policy.key, { shop: policy.shop, path });
      const location = `${options.baseUrl().replace(/\/+$/, '')}${STAGED_UPLOAD_PATH}/${policy.key}`;
      const body = `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Location>${location}</Location><Bucket>shopify-staged-uploads</Bucket><Key>${policy.key}</Key></PostResponse>`;
      return { status: 201, body };
    },
    read(shop, key) {
      const entry = files.get(key);
      if (!entry || entry.shop !== shop) return null;
      return readFileSync(entry.path);
    },
  };
}
