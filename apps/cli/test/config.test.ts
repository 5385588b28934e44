import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isBatonError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, maskUrl } from '../src/config.ts';

const cwd = () => mkdtempSync(path.join(tmpdir(), 'baton-config-'));

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isBatonError(error) && error.code === 'CLI_CONFIG_INVALID') return String(error.params.problems);
    throw error;
  }
  throw new Error('expected CLI_CONFIG_INVALID');
}

describe('loadConfig', () => {
  it('gives defaults for an empty environment: embedded SQLite on :3000', () => {
    const dir = cwd();
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.join(dir, 'data'));
    expect(config.sources.port).toBe('default');
  });

  it('takes the file, and the environment over the file', () => {
    const dir = cwd();
    writeFileSync(path.join(dir, 'baton.config.json'), JSON.stringify({ port: 4000, logLevel: 'warn' }));
    const config = loadConfig({ env: { LOG_LEVEL: 'debug' }, cwd: dir });
    expect(config.port).toBe(4000);
    expect(config.sources.port).toBe('file');
    expect(config.logLevel).toBe('debug');
    expect(config.sources.logLevel).toBe('environment');
  });

  it('reports every bad value at once, one line each, naming where it came from', () => {
    const dir = cwd();
    writeFileSync(path.join(dir, 'baton.config.json'), JSON.stringify({ prot: 1, bodyLimit: 'big' }));
    const problems = problemsOf(() =>
      loadConfig({
        env: { PORT: 'abc', DATABASE_URL: 'mysql://root:hunter2@db/x', LOG_LEVEL: 'loud', BATON_TRUST_PROXY: 'maybe' },
        cwd: dir,
      }),
    );
    const lines = problems.split('\n');
    expect(lines).toHaveLength(6);
    expect(problems).toContain('prot (');
    expect(problems).toContain('unknown setting');
    expect(problems).toContain('PORT (environment): expected an integer from 1 to 65535, got "abc"');
    expect(problems).toContain('DATABASE_URL (environment): expected a postgres://');
    expect(problems).toContain('LOG_LEVEL (environment)');
    expect(problems).toContain('BATON_TRUST_PROXY (environment): expected true or false');
    expect(problems).toMatch(/bodyLimit \(.*baton\.config\.json\): expected a byte count/);
    // a secret never appears in an error message
    expect(problems).not.toContain('hunter2');
  });

  it('refuses an unreadable or non-object file with a coded error', () => {
    const dir = cwd();
    writeFileSync(path.join(dir, 'bad.json'), '[1,2]');
    expect(() => loadConfig({ env: {}, cwd: dir, file: 'bad.json' })).toThrow(/expected a JSON object/);
    expect(() => loadConfig({ env: {}, cwd: dir, file: 'missing.json' })).toThrow(/Cannot read/);
  });

  it('masks passwords when describing', () => {
    const config = loadConfig({ env: { DATABASE_URL: 'postgres://baton:s3cret@db:5432/baton' }, cwd: cwd() });
    const described = describeConfig(config);
    expect(described.databaseUrl).toContain('postgres://baton:****@db:5432/baton');
    expect(JSON.stringify(described)).not.toContain('s3cret');
    expect(maskUrl('not a url')).toBe('****');
  });
});
