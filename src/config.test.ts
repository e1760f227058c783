import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './config.ts';

describe('config', () => {
  it('fills defaults from an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('./.retailos');
    expect(c.databaseUrl).toBeUndefined();
  });

  it('names every bad setting in one message', () => {
    const bad = { PORT: 'abc', DATABASE_URL: 'mysql://x', RETAILOS_SECRET_KEY: 'short' };
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    const msg = captureMessage(() => loadConfig(bad));
    expect(msg).toContain('PORT="abc"');
    expect(msg).toContain('DATABASE_URL=(secret, not shown)');
    expect(msg).toContain('RETAILOS_SECRET_KEY');
    expect(msg).not.toContain('short');
  });

  it('lets a flag override the environment', () => {
    expect(loadConfig({ PORT: '4000' }, { port: '4100' }).port).toBe(4100);
  });

  it('redacts secrets', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:pw@h/db',
      RETAILOS_ADMIN_PASSWORD: 'a-long-password-1',
    });
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain('pw@h');
    expect(shown).not.toContain('a-long-password-1');
    expect(shown).toContain('[redacted]');
  });
});

function captureMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the call to throw');
}
