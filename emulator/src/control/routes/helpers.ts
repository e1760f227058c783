import type { FastifyReply, FastifyRequest } from 'fastify';
import { asRecord } from '../../http/body.ts';
import { findShop, type ShopData } from '../../store/index.ts';
import type { Emulator } from '../emulator.ts';
import { ControlError, sendControlError } from './errors.ts';

export type ShopRequest = FastifyRequest<{
  Params: Record<string, string>;
  Querystring: Record<string, string | undefined>;
}>;

export interface ShopCall {
  shop: ShopData;
  body: Record<string, unknown>;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
}

/** Runs a control action on `:shop`; store / validation errors become JSON errors, the result is sent as JSON. */
export function shopAction(emu: Emulator, run: (call: ShopCall) => unknown, status = 200) {
  return (req: ShopRequest, reply: FastifyReply): FastifyReply => {
    try {
      const shop = findShop(emu.store, req.params['shop'] ?? '');
      if (!shop) throw new ControlError(404, 'shop_not_found', `unknown shop ${req.params['shop'] ?? ''}`);
      const result = run({ shop, body: asRecord(req.body), params: req.params, query: req.query });
      return reply.code(status).send(result ?? { ok: true });
    } catch (err) {
      return sendControlError(reply, err);
    }
  };
}

/** Same for actions that are not about one shop. */
export function action(
  run: (body: Record<string, unknown>, query: Record<string, string | undefined>) => unknown,
  status = 200,
) {
  return (
    req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
  ): FastifyReply => {
    try {
      return reply.code(status).send(run(asRecord(req.body), req.query) ?? { ok: true });
    } catch (err) {
      return sendControlError(reply, err);
    }
  };
}

export function idParam(params: Record<string, string>, name = 'id'): number {
  const value = Number(params[name]);
  if (!Number.isInteger(value) || value <= 0)
    throw new ControlError(404, 'not_found', `bad id ${params[name] ?? ''}`);
  return value;
}

export function limitOf(query: Record<string, string | undefined>): { limit: number; after: number | null } {
  const limit = Math.min(Math.max(Number(query['limit'] ?? 50) || 50, 1), 1000);
  const after = query['after'] === undefined ? null : Number(query['after']);
  return { limit, after: after !== null && Number.isFinite(after) ? after : null };
}
