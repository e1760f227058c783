import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.ts';
import type { ShopifyConnection } from '../types.ts';
import { mayHaveImport } from './connection-state.ts';
import { parseImportProgress, type ImportProgress } from './import-progress-model.ts';

export const POLL_MS = 1000;

export interface ShopifyStatus {
  connection: ShopifyConnection | null;
  connectionError: unknown;
  /** null while there is no import to show (none asked for before a grant; or the endpoint answered 404). */
  progress: ImportProgress | null;
  progressError: unknown;
  polling: boolean;
  setConnection(c: ShopifyConnection): void;
}

/**
 * The connection and the import progress: loaded once, then every second while the connection is
 * importing (each poll starts after the previous one answered, so slow answers never pile up).
 */
export function useShopifyStatus(): ShopifyStatus {
  const [connection, setConnection] = useState<ShopifyConnection | null>(null);
  const [connectionError, setConnectionError] = useState<unknown>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [progressError, setProgressError] = useState<unknown>(null);

  const loadConnection = useCallback(async (): Promise<void> => {
    try {
      setConnection(await api<ShopifyConnection>('GET', '/api/shopify/connection'));
      setConnectionError(null);
    } catch (err) {
      setConnectionError(err);
    }
  }, []);

  const loadProgress = useCallback(async (): Promise<void> => {
    try {
      setProgress(parseImportProgress(await api<unknown>('GET', '/api/shopify/import')));
      setProgressError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        setProgress(null);
        setProgressError(null);
      } else setProgressError(err);
    }
  }, []);

  useEffect(() => {
    void loadConnection();
  }, [loadConnection]);

  // The import is asked for only once the connection says one may exist: before any grant there is
  // none, and asking would only earn a 404 (logged as an error by the browser).
  const importExpected = connection !== null && mayHaveImport(connection);
  useEffect(() => {
    if (importExpected) void loadProgress();
  }, [importExpected, loadProgress]);

  const polling = connection?.state === 'importing';
  useEffect(() => {
    if (!polling) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      await Promise.all([loadConnection(), loadProgress()]);
      if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [polling, loadConnection, loadProgress]);

  return { connection, connectionError, progress, progressError, polling, setConnection };
}
