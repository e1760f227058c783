import type { FastifyInstance } from 'fastify';
import { MAX_BULK_VARIABLES_BYTES, STAGED_UPLOAD_PATH } from '../../bulk/index.ts';
import type { Emulator } from '../../control/emulator.ts';
import { boundaryOf, parseMultipart } from '../multipart.ts';

/** Room for the form's other parts beside a file of the largest size allowed. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

const XML = 'application/xml; charset=UTF-8';

function malformed(message: string): string {
  return `<?xml version='1.0' encoding='UTF-8'?><Error><Code>InvalidArgument</Code><Message>${message}</Message></Error>`;
}

/**
 * `POST /_emulator/staged-uploads`: the target of `stagedUploadsCreate` (Shopify: a signed form POST
 * to its cloud storage). A multipart form with the target's parameters and a `file` part; answers
 * like storage: `201` with XML, `400`/`403` with an XML error. Not an Admin API call, so the API's
 * fault injection does not apply to it.
 */
export function registerStagedUpload(app: FastifyInstance, emu: Emulator): void {
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_BULK_VARIABLES_BYTES + FORM_OVERHEAD_BYTES },
    (_req, body, done) => done(null, body),
  );
  app.post(
    STAGED_UPLOAD_PATH,
    { bodyLimit: MAX_BULK_VARIABLES_BYTES + FORM_OVERHEAD_BYTES },
    (req, reply) => {
      const boundary = boundaryOf(req.headers['content-type']);
      const form = boundary && Buffer.isBuffer(req.body) ? parseMultipart(req.body, boundary) : null;
      if (!form)
        return reply.code(400).type(XML).send(malformed('The request body is not a multipart form.'));
      const answer = emu.stagedUploads.receive(form.fields, form.file);
      return reply.code(answer.status).type(XML).send(answer.body);
    },
  );
}
