import type { Tone } from '../components/badge.tsx';
import type { ConnectionState } from '../types.ts';

export const STATE_VIEW: Record<ConnectionState, { label: string; tone: Tone; explain: string }> = {
  not_connected: {
    label: 'Not connected',
    tone: 'neutral',
    explain:
      'Connect your Shopify store to import its products, customers, orders and stock, then keep both sides in sync.',
  },
  disconnected: {
    label: 'Disconnected',
    tone: 'neutral',
    explain: 'Sync is stopped. Your Retailos data is kept; connect again to resume.',
  },
  connecting: {
    label: 'Waiting for approval',
    tone: 'info',
    explain: 'Shopify’s consent screen was opened but not approved yet. Connect again to start over.',
  },
  importing: {
    label: 'Importing',
    tone: 'info',
    explain: 'The initial import is running. Continuous sync switches on by itself when it finishes.',
  },
  syncing: {
    label: 'Syncing',
    tone: 'success',
    explain: 'Connected: changes flow both ways, Shopify’s webhooks in and the push queue out.',
  },
  error_auth: {
    label: 'Needs reconnect',
    tone: 'critical',
    explain:
      'Shopify no longer accepts Retailos’ access (the token expired or was revoked, and renewing it failed). Your changes wait in the outbox, nothing is lost: connect again and they are pushed.',
  },
  error: { label: 'Error', tone: 'critical', explain: 'Sync stopped on an error.' },
};

/** States in which the merchant may start (again) the OAuth flow. */
export const CAN_CONNECT: ReadonlySet<ConnectionState> = new Set([
  'not_connected',
  'disconnected',
  'connecting',
  'error_auth',
  'error',
]);

/** States with a live (or broken but stored) connection to end. */
export const CAN_DISCONNECT: ReadonlySet<ConnectionState> = new Set([
  'importing',
  'syncing',
  'error_auth',
  'error',
]);

/** States reached only after Shopify granted access, which is when the initial import starts. */
const GRANTED: ReadonlySet<ConnectionState> = new Set([
  'importing',
  'syncing',
  'disconnected',
  'error_auth',
  'error',
]);

/**
 * Whether an import may exist for this connection: only once a grant was saved (an import is started
 * right after it). Before that GET /api/shopify/import can only answer 404, so the page does not ask.
 */
export function mayHaveImport(c: { state: ConnectionState; connected_at: string | null }): boolean {
  return c.connected_at !== null || GRANTED.has(c.state);
}
