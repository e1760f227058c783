import type { FastifyInstance } from 'fastify';
import { FAULT_PROFILES, type FaultSettings } from '../../faults/faults.ts';
import { deleteWebhookSubscription, normalizeShopDomain } from '../../store/index.ts';
import { isValidConcurrency } from '../../webhooks/delivery-queue.ts';
import { RETRY_DELAYS_MS } from '../../webhooks/retry-schedule.ts';
import type { Emulator } from '../emulator.ts';
import { shopSummary } from '../views.ts';
import { ControlError, requireNumber } from './errors.ts';
import { action, idParam, shopAction } from './helpers.ts';

/** Emulator-wide controls: info, reset, clock, faults, call log, deliveries. */
export function registerSystemRoutes(app: FastifyInstance, emu: Emulator): void {
  app.get(
    '/_emulator/health',
    action(() => ({ ok: true })),
  );
  app.get(
    '/_emulator/info',
    action(() => info(emu)),
  );
  app.get(
    '/_emulator/shops',
    action(() => ({ shops: [...emu.store.shops.values()].map(shopSummary) })),
  );
  app.get(
    '/_emulator/shops/:shop',
    shopAction(emu, ({ shop }) => shopSummary(shop)),
  );
  app.post(
    '/_emulator/reset',
    action((body) => {
      emu.reset(body['seed'] === undefined ? undefined : requireNumber(body['seed'], 'seed'));
      return info(emu);
    }),
  );

  app.get(
    '/_emulator/clock',
    action(() => clockView(emu)),
  );
  app.post(
    '/_emulator/clock/advance',
    action((body) => {
      const ms =
        body['seconds'] !== undefined
          ? requireNumber(body['seconds'], 'seconds') * 1000
          : requireNumber(body['ms'], 'ms');
      if (ms < 0) throw new ControlError(422, 'invalid_request', 'the clock only moves forward');
      emu.clock.advance(ms);
      emu.webhooks.kick();
      emu.bulk.kick();
      return clockView(emu);
    }),
  );
  app.post(
    '/_emulator/clock/scale',
    action((body) => {
      const scale = requireNumber(body['timeScale'], 'timeScale');
      if (scale <= 0) throw new ControlError(422, 'invalid_request', 'timeScale must be > 0');
      emu.settings.timeScale = scale;
      return clockView(emu);
    }),
  );

  app.get(
    '/_emulator/faults',
    action(() => ({ settings: emu.faults.settings, seed: emu.faults.seed, profiles: FAULT_PROFILES })),
  );
  app.post(
    '/_emulator/faults',
    action((body) => {
      if (typeof body['profile'] === 'string') emu.faults.applyProfile(body['profile']);
      const { profile: _profile, seed, ...patch } = body;
      if (seed !== undefined) emu.faults.reset(requireNumber(seed, 'seed'));
      return { settings: emu.faults.set(patch as Partial<FaultSettings>), seed: emu.faults.seed };
    }),
  );
  app.delete(
    '/_emulator/faults',
    action(() => {
      emu.faults.reset();
      return { settings: emu.faults.settings, seed: emu.faults.seed };
    }),
  );

  app.get(
    '/_emulator/calls',
    action((_b, q) => ({
      calls: emu.callLog.list({
        shop: q['shop'] ? normalizeShopDomain(q['shop']) : undefined,
        operation: q['operation'],
        type: q['type'],
        since: q['since'] === undefined ? undefined : Number(q['since']),
      }),
    })),
  );
  app.delete(
    '/_emulator/calls',
    action(() => {
      emu.callLog.clear();
      return { ok: true };
    }),
  );

  app.get(
    '/_emulator/webhooks/deliveries',
    action((_b, q) => ({
      deliveries: emu.webhooks.deliveries.filter(
        (d) =>
          (!q['shop'] || d.shop === normalizeShopDomain(q['shop'])) &&
          (!q['topic'] || d.topic === q['topic']) &&
          (!q['state'] || d.state === q['state']),
      ),
    })),
  );
  app.get(
    '/_emulator/webhooks/settings',
    action(() => webhookSettings(emu)),
  );
  app.post(
    '/_emulator/webhooks/settings',
    action((body) => {
      const { concurrency, ...rest } = body;
      const unknown = Object.keys(rest);
      if (unknown.length > 0)
        throw new ControlError(422, 'invalid_request', `unknown webhook setting "${unknown[0] ?? ''}"`);
      if (concurrency !== undefined) {
        const n = requireNumber(concurrency, 'concurrency');
        if (!isValidConcurrency(n))
          throw new ControlError(422, 'invalid_request', 'concurrency must be an integer ≥ 1');
        emu.settings.webhookConcurrency = n;
      }
      return webhookSettings(emu);
    }),
  );
  app.post('/_emulator/webhooks/drain', async () => ({
    attempted: await emu.webhooks.drain(),
    pending: emu.webhooks.deliveries.filter((d) => d.state === 'pending').length,
  }));
  app.delete(
    '/_emulator/shops/:shop/webhook-subscriptions/:id',
    shopAction(emu, ({ shop, params }) => {
      deleteWebhookSubscription(emu.store, shop, idParam(params));
      return { deleted: idParam(params) };
    }),
  );
}

function webhookSettings(emu: Emulator): Record<string, unknown> {
  return { concurrency: emu.settings.webhookConcurrency };
}

function clockView(emu: Emulator): Record<string, unknown> {
  return {
    now: emu.clock.now().toISOString(),
    timeScale: emu.settings.timeScale,
    retryDelaysMs: RETRY_DELAYS_MS.map((d) => Math.round(d / emu.settings.timeScale)),
  };
}

export function info(emu: Emulator): Record<string, unknown> {
  const app = emu.app();
  return {
    url: emu.baseUrl,
    shopOriginTemplate: `${emu.baseUrl}/shops/{shop}`,
    shops: [...emu.store.shops.keys()].map((domain) => ({
      domain,
      origin: `${emu.baseUrl}/shops/${domain}`,
    })),
    app: {
      apiKey: app.apiKey,
      apiSecret: app.apiSecret,
      name: app.name,
      redirectUrls: app.redirectUrls,
      appUrl: app.appUrl,
    },
    accessToken: emu.options.accessToken,
    seed: emu.options.seed,
    timeScale: emu.settings.timeScale,
    webhookConcurrency: emu.settings.webhookConcurrency,
    bulkPace: emu.settings.bulkPace,
    admin: `${emu.baseUrl}/_emulator/admin`,
  };
}
