import pino from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startDemoEmulator } from './demo-emulator.ts';

interface LogLine {
  level: number;
  msg: string;
  code?: number | null;
  signal?: string | null;
}

function capturingLogger(): {
  logger: pino.Logger;
  lines: LogLine[];
  next: (msg: string) => Promise<LogLine>;
} {
  const lines: LogLine[] = [];
  const waiters: { msg: string; resolve: (l: LogLine) => void }[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write(s: string) {
        const line = JSON.parse(s) as LogLine;
        lines.push(line);
        for (const w of waiters.filter((x) => x.msg === line.msg)) w.resolve(line);
      },
    },
  );
  const next = (msg: string) => new Promise<LogLine>((resolve) => waiters.push({ msg, resolve }));
  return { logger, lines, next };
}

describe('the demo Shopify store (emulator child process)', () => {
  it('stops with Retailos without calling its own exit an error', async () => {
    const { logger, lines } = capturingLogger();
    const demo = await startDemoEmulator(logger, 'http://127.0.0.1:9/auth/shopify/callback');
    onTestFinished(() => demo.stop());
    expect(demo.shopOriginTemplate).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await demo.stop();
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('logs an error when the emulator dies on its own', async () => {
    const { logger, next } = capturingLogger();
    const demo = await startDemoEmulator(logger, 'http://127.0.0.1:9/auth/shopify/callback');
    onTestFinished(() => demo.stop());
    const logged = next('the demo Shopify emulator stopped unexpectedly');
    process.kill(demo.pid as number, 'SIGKILL');
    const line = await logged;
    expect(line.level).toBe(50);
    expect(line.signal).toBe('SIGKILL');
  });
});
