import type { MoneyBag } from '../../store/index.ts';

/** REST timestamps carry the shop's UTC offset; emulated shops are on UTC. */
export function restTime(seconds: number | null): string | null {
  if (seconds === null) return null;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function restTimeOf(seconds: number): string {
  return restTime(seconds) ?? '';
}

/** REST tags are one comma-separated string. */
export function restTags(tags: readonly string[]): string {
  return tags.join(', ');
}

export function lower<T extends string>(value: T | null): string | null {
  return value === null ? null : value.toLowerCase();
}

export function moneySet(
  bag: MoneyBag,
  shopCurrency: string,
  presentmentCurrency: string,
): Record<string, unknown> {
  return {
    shop_money: { amount: bag.shop, currency_code: shopCurrency },
    presentment_money: { amount: bag.presentment, currency_code: presentmentCurrency },
  };
}
