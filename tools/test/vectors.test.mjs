import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const tool = resolve(__dirname, '../vectors.mjs');
const shared = resolve(__dirname, '../../../shared/vectors');
const dir = mkdtempSync(join(tmpdir(), 'vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(folder) {
  try {
    return { code: 0, out: execFileSync(process.execPath, [tool, folder], { encoding: 'utf8', env: { ...process.env, SMST_SKIP_HUGE: '1' } }) };
  } catch (err) {
    return { code: err.status, out: err.stdout };
  }
}

test('any folder laid out like shared/vectors: one line per suite, then the totals', () => {
  const ok = join(dir, 'ok');
  mkdirSync(join(ok, 'smst'), { recursive: true });
  cpSync(join(shared, 'smst/smst_basic.json'), join(ok, 'smst/smst_basic.json'));
  const { code, out } = run(ok);
  const lines = out.trim().split('\n');
  expect(code).toBe(0);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^smst\/smst_basic\.json\s+ok\s+\d+ passed, 0 failed/);
  expect(lines[1]).toMatch(/^\d+ passed, 0 failed$/);
});

test('a vector that disagrees with the implementation fails the run', () => {
  const bad = join(dir, 'bad');
  mkdirSync(join(bad, 'smst'), { recursive: true });
  const v = JSON.parse(readFileSync(join(shared, 'smst/smst_basic.json'), 'utf8'));
  const step = v.steps[3];
  step.root = step.root.replace(/^./, (c) => (c === '0' ? '1' : '0')); // one wrong root
  writeFileSync(join(bad, 'smst/smst_basic.json'), JSON.stringify(v));
  const { code, out } = run(bad);
  expect(code).toBe(1);
  expect(out).toMatch(/FAIL/);
  expect(out.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 1 failed$/);
});

test('a missing folder is a usage error', () => {
  expect(run(join(dir, 'nope')).code).toBe(2);
});
