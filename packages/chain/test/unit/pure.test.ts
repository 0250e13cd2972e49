import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ChainQueryError,
  NotFoundError,
  PromiseCache,
  UnimplementedQueryError,
  adjustedGasLimit,
  classifyQueryFailure,
  feeFor,
  parseSequenceMismatch,
  rebroadcastHeights,
  toRpcError,
  isTxAlreadyInCache,
  ChainRpcError,
} from '../../src/index.js';

describe('classifyQueryFailure', () => {
  it('recognises NotFound by gRPC name and by SDK code 38', () => {
    expect(classifyQueryFailure('/p', 38, 'sdk', 'rpc error: code = NotFound desc = claim not found: key not found')).toBeInstanceOf(NotFoundError);
    expect(classifyQueryFailure('/p', 38, 'sdk', 'key not found')).toBeInstanceOf(NotFoundError);
  });
  it('recognises unknown paths and Unimplemented', () => {
    expect(classifyQueryFailure('/p', 6, 'sdk', 'unknown query path: unknown request')).toBeInstanceOf(UnimplementedQueryError);
    expect(classifyQueryFailure('/p', 6, 'sdk', 'rpc error: code = Unimplemented desc = x')).toBeInstanceOf(UnimplementedQueryError);
  });
  it('keeps other failures generic, with the gRPC code', () => {
    const e = classifyQueryFailure('/p', 18, 'sdk', 'rpc error: code = InvalidArgument desc = bad: invalid request');
    expect(e).toBeInstanceOf(ChainQueryError);
    expect(e).not.toBeInstanceOf(NotFoundError);
    expect(e.grpcCode).toBe('InvalidArgument');
    expect(e.abciCode).toBe(18);
  });
});

describe('parseSequenceMismatch', () => {
  it('reads expected/got from CheckTx and Simulate logs', () => {
    expect(parseSequenceMismatch(32, 'sdk', 'account sequence mismatch, expected 7, got 5: incorrect account sequence')).toEqual({ expected: 7n, got: 5n });
    expect(
      parseSequenceMismatch(6, 'sdk', "rpc error: code = Unknown desc = account sequence mismatch, expected 3, got 2: incorrect account sequence With gas wanted: '0'"),
    ).toEqual({ expected: 3n, got: 2n });
    expect(parseSequenceMismatch(32, 'sdk', 'something')).toEqual({ expected: undefined, got: undefined });
    expect(parseSequenceMismatch(5, 'sdk', 'insufficient funds')).toBeUndefined();
  });
});

describe('fees', () => {
  it('applies the adjustment once and rounds up', () => {
    expect(adjustedGasLimit(100_000n, 1.5)).toBe(150_000n);
    expect(adjustedGasLimit(3n, 1.5)).toBe(5n);
    expect(feeFor(150_001n, { numerator: 1n, denominator: 1_000_000n, denom: 'upokt' })).toEqual({ denom: 'upokt', amount: '1' });
    expect(feeFor(10n, { numerator: 1n, denominator: 1n, denom: 'upokt' }, { amount: 7n, denom: 'upokt' })).toEqual({ denom: 'upokt', amount: '7' });
  });
  it('never under-pays: fee × denominator ≥ gas × numerator', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (gas, num, den) => {
        const fee = BigInt(feeFor(gas, { numerator: num, denominator: den, denom: 'u' }).amount);
        expect(fee * den >= gas * num).toBe(true);
        expect((fee - 1n) * den < gas * num || fee === 0n).toBe(true);
      }),
    );
  });
});

describe('rebroadcastHeights', () => {
  it('spreads the resends inside the window, never in the last block', () => {
    expect(rebroadcastHeights(10n, 16n, 2)).toEqual([12n, 14n]);
    expect(rebroadcastHeights(10n, 11n, 2)).toEqual([]);
    expect(rebroadcastHeights(10n, 12n, 2)).toEqual([11n]);
  });
  it('stays strictly inside (submit, timeout)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 0n, max: 500n }), fc.integer({ min: 0, max: 5 }), (s, span, n) => {
        const hs = rebroadcastHeights(s, s + span, n);
        expect(hs.length).toBeLessThanOrEqual(n);
        for (const h of hs) expect(h > s && h < s + span).toBe(true);
      }),
    );
  });
});

describe('toRpcError', () => {
  it('keeps JSON-RPC code and data', () => {
    const e = toRpcError('broadcast_tx_sync', new Error(JSON.stringify({ code: -32603, message: 'Internal error', data: 'tx already exists in cache' })));
    expect(e).toBeInstanceOf(ChainRpcError);
    expect((e as ChainRpcError).rpcCode).toBe(-32603);
    expect(isTxAlreadyInCache(e)).toBe(true);
  });
});

describe('PromiseCache', () => {
  it('shares pending loads, forgets failures, evicts the oldest', async () => {
    const c = new PromiseCache<number>(2);
    let loads = 0;
    const load = async (): Promise<number> => ++loads;
    const [a, b] = await Promise.all([c.getOrLoad('a', load), c.getOrLoad('a', load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    await expect(c.getOrLoad('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 0));
    expect(await c.getOrLoad('x', load)).toBe(2);
    await c.getOrLoad('y', load);
    expect(c.size).toBe(2);
  });
});
