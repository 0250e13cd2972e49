/** The CLI's dispatch, help and usage errors (exit 2), and `start` failing cleanly before it serves. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './cli-harness.js';
import { writeConfig, writeKeys } from './config-fixture.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

describe('relayminer CLI', () => {
  it('prints help for every command on stdout with exit 0', async () => {
    for (const argv of [['--help'], ['help'], ['start', '--help'], ['config', 'validate', '--help'], ['config', '--help'], ['keys', '--help'], ['keys', 'list', '--help'], ['keys', 'import', '-h']]) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(0);
      expect(run.out, argv.join(' ')).toMatch(/^usage: relayminer/);
      expect(run.err).toBe('');
    }
    const start = await cli(['start', '--help']);
    for (const flag of ['--config', '--chain-id', '--node', '--gas-prices', '--gas-adjustment', '--fees', '--keys-file', '--log-level', '--log-format']) expect(start.out).toContain(flag);
  });

  it('usage errors go to stderr with the usage and exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing command/],
      [['mine'], /unknown command "mine"/],
      [['start'], /--config is required/],
      [['start', '--config', 'x.yaml', '--log-level', 'loud'], /--log-level must be debug, info, warn or error/],
      [['start', '--config', 'x.yaml', '--log-format', 'xml'], /--log-format must be json or text/],
      [['start', '--config', 'x.yaml', '--gas-adjustment', '0.5'], /--gas-adjustment must be a number ≥ 1/],
      [['start', '--config', 'x.yaml', '--chain-id', ''], /--chain-id must not be empty/],
      [['start', '--config'], /option --config needs a value/],
      [['start', '--config', 'x.yaml', '--bogus'], /unknown option --bogus/],
      [['start', '--config', 'x.yaml', 'extra'], /unexpected argument/],
      [['start', '--help=yes'], /option --help does not take a value/],
      [['keys'], /missing subcommand/],
      [['keys', 'remove'], /unknown subcommand of keys/],
      [['config'], /missing subcommand: config validate/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err, argv.join(' ')).toMatch(message);
      expect(run.err).toContain('usage: relayminer');
      expect(run.out).toBe('');
    }
  });

  it('never echoes what looks like a secret in a usage error', async () => {
    const secret = 'ab'.repeat(32);
    for (const argv of [[secret], ['start', '--config', 'x', secret], ['start', `--${secret}`], ['start', `--config=x`, `--fees=${secret}`, '--nope=' + secret]]) {
      const run = await cli(argv);
      expect(run.code).toBe(2);
      expect(run.err).not.toContain(secret.slice(0, 16));
    }
  });

  it('start: a config that does not load is logged as one JSON error line and exits 1', async () => {
    const path = writeConfig(tmp.dir, { chainId: 'c', keyNames: ['missing-key'] });
    writeKeys(tmp.dir, { other: new Uint8Array(32).fill(0x22) });
    const run = await cli(['start', '--config', path]);
    expect(run.code).toBe(1);
    const lines = run.err.split('\n').map((l) => JSON.parse(l));
    const failure = lines.find((l) => l.level === 'error')!;
    expect(failure.msg).toBe('relay miner could not start');
    expect(failure.error).toMatchObject({ name: 'StartupError', stage: 'keys' });
    expect(failure.cause).toMatchObject({ name: 'ConfigError', key: 'keys_file', reason: 'has no key named "missing-key"' });
    expect(run.err).not.toContain('2222222222');
  });

  it('start: text logs when asked', async () => {
    const run = await cli(['start', '--config', `${tmp.dir}/none.yaml`, '--log-format', 'text']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/ERROR relay miner could not start error=.*cannot read config file/);
  });
});
