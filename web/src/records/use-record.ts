import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';

export type Loaded<T> =
  { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; data: T };

/** GETs `path` (null: nothing to load) and keeps the answer; reload() asks again. Stale answers are dropped. */
export function useRecord<T>(path: string | null): {
  state: Loaded<T>;
  reload: () => void;
  set: (data: T) => void;
} {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const generation = useRef(0);
  const load = useCallback(() => {
    if (path === null) return;
    const mine = ++generation.current;
    setState({ status: 'loading' });
    api<T>('GET', path).then(
      (data) => {
        if (mine === generation.current) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (mine === generation.current) setState({ status: 'failed', error });
      },
    );
  }, [path]);
  useEffect(load, [load]);
  const set = useCallback((data: T) => {
    generation.current++;
    setState({ status: 'ready', data });
  }, []);
  return { state, reload: load, set };
}
