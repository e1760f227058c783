import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { ShopifyWiring } from '../src/deps.ts';
import { createSecretBox } from '../src/shopify/secret-box.ts';
import { requestedScopes } from '../src/sync/shopify-deps.ts';
import type { TestApp, TestSession } from './app.ts';
import type { RunningEmulator } from './emulator.ts';

/** The Shopify app wiring for a test app talking to an emulator started with these credentials. */
export function emulatorWiring(
  emu: RunningEmulator,
  apiKey: string,
  apiSecret: string,
  appUrl: string,
): ShopifyWiring {
  return {
    app: {
      apiKey,
      apiSecret,
      appUrl,
      shopOriginTemplate: emu.shopOriginTemplate,
      apiVersion: '2026-04',
      scopes: requestedScopes(false),
    },
    secretBox: createSecretBox(randomBytes(32), randomBytes),
  };
}

/** Plays the merchant on the emulator's consent page: GET it, then submit its form. */
export async function approveOnShopify(
  authorizeUrl: string,
  decision: 'approve' | 'cancel' = 'approve',
): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set('decision', decision);
  const res = await fetch(authorizeUrl.split('?')[0] as string, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

/** Logged-in merchant: Connect → consent (approve) → callback; returns the callback's answer. */
export async function connectThroughConsent(t: TestApp, session: TestSession, shop: string) {
  const started = await t.app.inject({
    method: 'POST',
    url: '/api/shopify/connect',
    headers: session.headers,
    payload: { shop },
  });
  expect(started.statusCode).toBe(200);
  const back = await approveOnShopify(started.json<{ authorize_url: string }>().authorize_url);
  return t.app.inject({
    method: 'GET',
    url: `/shopify/callback?${back.searchParams.toString()}`,
    headers: { cookie: session.headers['cookie'] as string },
  });
}

/** Logged-in merchant connects `shop`: Connect → consent (approve) → callback, which succeeds. */
export async function connectShop(t: TestApp, session: TestSession, shop: string): Promise<void> {
  const cb = await connectThroughConsent(t, session, shop);
  expect(cb.statusCode).toBe(302);
}
