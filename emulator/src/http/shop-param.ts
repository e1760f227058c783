import type { FastifyReply } from 'fastify';
import type { Emulator } from '../control/emulator.ts';
import { findShop, type ShopData } from '../store/index.ts';

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** The shop named in `/shops/:shop/…`, or a 404 sent (Shopify answers unknown shops with Not Found). */
export function shopOr404(emu: Emulator, raw: string, reply: FastifyReply): ShopData | null {
  const domain = raw.toLowerCase();
  const shop = SHOP_DOMAIN.test(domain) ? findShop(emu.store, domain) : undefined;
  if (!shop) {
    void reply.code(404).send({ errors: 'Not Found' });
    return null;
  }
  return shop;
}
