import type { FastifyReply } from 'fastify';
import { FaultSettingsError } from '../../faults/faults.ts';
import { StoreError } from '../../store/index.ts';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

const STORE_STATUS: Record<StoreError['code'], number> = {
  NOT_FOUND: 404,
  INVALID: 422,
  CONFLICT: 409,
  HAS_ORDERS: 422,
};

/** Maps expected control-API failures to `{ error: snake_case, message }`; rethrows the rest. */
export function sendControlError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof StoreError)
    return reply.code(STORE_STATUS[err.code]).send({ error: err.code.toLowerCase(), message: err.message });
  if (err instanceof ControlError)
    return reply.code(err.status).send({ error: err.code, message: err.message });
  if (err instanceof FaultSettingsError)
    return reply.code(422).send({ error: 'invalid_fault_settings', message: err.message });
  throw err;
}

export function requireNumber(value: unknown, name: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new ControlError(422, 'invalid_request', `${name} must be a number`);
  return n;
}

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ControlError(422, 'invalid_request', `${name} must be a string`);
  return value;
}
