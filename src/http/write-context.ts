import type { FastifyRequest } from 'fastify';
import { writeContextOf, type WriteContext } from '../core/write-context.ts';
import type { CoreDeps } from '../deps.ts';

/** A write from the API: the caller's tenant; origin 'user' for a browser session, 'api' for a token. */
export function writeContext(
  req: FastifyRequest,
  deps: Pick<CoreDeps, 'clock' | 'changesRecorded'>,
): WriteContext {
  return writeContextOf(deps, req.auth.tenantId, req.auth.via === 'session' ? 'user' : 'api');
}
