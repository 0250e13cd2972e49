import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const hasProtoc = spawnSync('protoc', ['--version']).status === 0;

// The committed generated code must be what tools/protogen.mjs makes from proto/ today.
test.skipIf(!hasProtoc)('src/wire/generated is up to date with proto/ (protogen --check)', () => {
  const out = execFileSync(process.execPath, ['tools/protogen.mjs', '--check'], { cwd: repoRoot, encoding: 'utf8' });
  expect(out).toMatch(/up to date \(\d+ files, \d+ messages\)/);
});
