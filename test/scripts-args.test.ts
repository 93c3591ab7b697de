/**
 * The measurement scripts' command lines (built: `npm test` builds first): `--help` prints the
 * usage and exits 0 before anything is generated or read; an unknown option prints the usage
 * and exits 2, never a stack trace.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = async (script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.resolve('dist/scripts', `${script}.js`), ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};

describe('script options', () => {
  for (const [script, option] of [
    ['eval', '--conditions'],
    ['bench', '--memory-cards'],
    ['gen-corpus', '--samples'],
  ] as const) {
    it(`${script}: --help prints the usage; an unknown option is a usage error`, async () => {
      const help = await run(script, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: /);
      expect(help.stdout).toContain(option);
      const bad = await run(script, ['--no-such-option']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--no-such-option');
      expect(bad.stderr).toContain('usage: ');
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    });
  }

  for (const [script, args, option] of [
    ['eval', ['--engine', 'bogus'], '--engine'],
    ['eval', ['--conditions', 'bogus', '--count', '1', '--seed', '990001'], '--conditions'],
    ['bench', ['--engine', 'bogus'], '--engine'],
  ] as const) {
    it(`${script}: a bad ${option} value is a usage error, not a stack trace`, async () => {
      const bad = await run(script, [...args]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`${option}: `);
      expect(bad.stderr).toContain('bogus');
      expect(bad.stderr).toContain('usage: ');
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('eval: an unknown condition leaves no corpus folder behind', async () => {
    await run('eval', ['--conditions', 'bogus', '--count', '1', '--seed', '990002']);
    expect(existsSync(path.join('.eval', 'corpus-s990002-n1-bogus'))).toBe(false);
  });
});
