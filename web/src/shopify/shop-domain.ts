/**
 * What the merchant typed → a shop domain: "my-store", "https://my-store.myshopify.com/" and
 * "My-Store.myshopify.com" all mean my-store.myshopify.com. The server still checks it strictly.
 */
export function normaliseShop(input: string): string {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return s && !s.includes('.') ? `${s}.myshopify.com` : s;
}
