import { afterAll, beforeAll } from 'vitest';

/**
 * Something a test file opens once before its tests and closes after them, named at the top of the
 * file. The returned object is empty until beforeAll copies in the own properties of what `open`
 * returned, so read it only in tests and in hooks registered after this call:
 *
 *   const t = openForFile(() => createTestApp(), (app) => app.close());
 */
export function openForFile<T extends object>(
  open: () => Promise<T>,
  close: (opened: T) => Promise<void>,
): T {
  const opened = {} as T;
  let isOpen = false;
  beforeAll(async () => {
    Object.assign(opened, await open());
    isOpen = true;
  });
  afterAll(async () => {
    if (isOpen) await close(opened);
  });
  return opened;
}
