/** A Shopify app as configured in the Partner / Dev Dashboard. */
export interface App {
  apiKey: string;
  apiSecret: string;
  name: string;
  /** App URL; its host is an allowed redirect host. */
  appUrl: string | null;
  /** Allowed redirection URLs; empty + no appUrl = any http(s) URL on a loopback host. */
  redirectUrls: string[];
  /** Knob: scopes the merchant's grant leaves out (the granted scope is narrower). */
  withheldScopes: string[];
  /** Where compliance webhooks (customers/data_request, customers/redact, shop/redact) go. */
  complianceUrl: string | null;
}

export interface AppRegistry {
  get(apiKey: string): App | undefined;
  put(app: App): void;
  list(): App[];
}

export function createAppRegistry(initial: readonly App[] = []): AppRegistry {
  const apps = new Map<string, App>(initial.map((a) => [a.apiKey, a]));
  return {
    get: (apiKey) => apps.get(apiKey),
    put: (app) => void apps.set(app.apiKey, app),
    list: () => [...apps.values()],
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Is `redirectUri` one the app allows? Exact URL match or same host as an allowed URL / App URL. */
export function isAllowedRedirect(app: App, redirectUri: string): boolean {
  const target = parseHttpUrl(redirectUri);
  if (!target) return false;
  const allowed = [...app.redirectUrls, ...(app.appUrl ? [app.appUrl] : [])];
  if (allowed.length === 0) return LOOPBACK.has(target.hostname);
  return allowed.some((u) => {
    const candidate = parseHttpUrl(u);
    if (!candidate) return false;
    if (app.redirectUrls.includes(redirectUri)) return true;
    return (
      candidate.host === target.host && target.pathname.startsWith(candidate.pathname.replace(/\/$/, ''))
    );
  });
}

function parseHttpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
