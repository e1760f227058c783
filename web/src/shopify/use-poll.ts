import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data: T | null;
  error: unknown;
  /** When the last answer arrived (null before the first). */
  at: Date | null;
  /** Loads again now (after an action), keeping the schedule. */
  reload(): Promise<void>;
}

/**
 * Loads `load()` now and again every `ms` while mounted; each poll starts after the previous one
 * answered, so slow answers never pile up. A new `key` (e.g. another filter) loads at once and drops any
 * answer to the previous key still on its way.
 */
export function usePoll<T>(load: () => Promise<T>, ms: number, key = ''): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [at, setAt] = useState<Date | null>(null);
  const current = useRef(key);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async (forKey: string): Promise<void> => {
    try {
      const value = await loadRef.current();
      if (current.current !== forKey) return;
      setData(value);
      setError(null);
      setAt(new Date());
    } catch (err) {
      if (current.current === forKey) setError(err);
    }
  }, []);

  useEffect(() => {
    current.current = key;
    setData(null);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      await run(key);
      if (!stopped) timer = setTimeout(() => void tick(), ms);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [key, ms, run]);

  const reload = useCallback(() => run(current.current), [run]);
  return { data, error, at, reload };
}
