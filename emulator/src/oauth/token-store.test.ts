import { describe, expect, it } from 'vitest';
import { createManualClock } from '../control/clock.ts';
import { createSeededRandom } from '../control/random.ts';
import { createTokenStore } from './token-store.ts';

const setup = () => {
  const clock = createManualClock();
  return { clock, tokens: createTokenStore(clock, createSeededRandom(1)) };
};

describe('token store', () => {
  it('a code is single-use, per shop and app, and expires after 10 minutes', () => {
    const { clock, tokens } = setup();
    const a = tokens.issueCode('s.myshopify.com', 'k', ['read_products']);
    expect(tokens.redeemCode(a.code, 'other.myshopify.com', 'k')).toBeUndefined();
    expect(tokens.redeemCode(a.code, 's.myshopify.com', 'k')?.scopes).toEqual(['read_products']);
    expect(tokens.redeemCode(a.code, 's.myshopify.com', 'k')).toBeUndefined();
    const b = tokens.issueCode('s.myshopify.com', 'k', []);
    clock.advance(10 * 60 * 1000);
    expect(tokens.redeemCode(b.code, 's.myshopify.com', 'k')).toBeUndefined();
  });

  it('tokens belong to one shop; expiring ones die after an hour; revokeAll kills them', () => {
    const { clock, tokens } = setup();
    const forever = tokens.issue('s.myshopify.com', 'k', [], false);
    const hour = tokens.issue('s.myshopify.com', 'k', [], true);
    expect(tokens.check(forever.access_token, 'other.myshopify.com')).toEqual({
      ok: false,
      reason: 'unknown',
    });
    clock.advance(3600 * 1000);
    expect(tokens.check(hour.access_token, 's.myshopify.com')).toEqual({ ok: false, reason: 'expired' });
    expect(tokens.check(forever.access_token, 's.myshopify.com').ok).toBe(true);
    expect(tokens.revokeAll('s.myshopify.com', 'k')).toBe(2);
    expect(tokens.check(forever.access_token, 's.myshopify.com')).toEqual({ ok: false, reason: 'revoked' });
  });

  it('a refresh token expires after 90 days', () => {
    const { clock, tokens } = setup();
    const pair = tokens.issue('s.myshopify.com', 'k', [], true);
    clock.advance(90 * 24 * 3600 * 1000);
    expect(tokens.refresh('s.myshopify.com', 'k', pair.refresh_token ?? '')).toEqual({
      ok: false,
      reason: 'expired',
    });
  });
});
