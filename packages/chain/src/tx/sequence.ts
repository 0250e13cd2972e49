/**
 * Recognising "account sequence mismatch". The ante handler answers code 32 in codespace "sdk" with
 * `account sequence mismatch, expected N, got M: incorrect account sequence`; through Simulate the same
 * text arrives wrapped in an ABCI code 6 log, so the text is what we match.
 */
export const SDK_CODE_WRONG_SEQUENCE = 32;

const MISMATCH_RE = /account sequence mismatch, expected (\d+), got (\d+)/;

export interface SequenceMismatch {
  readonly expected: bigint | undefined;
  readonly got: bigint | undefined;
}

/** The parsed numbers when `log` reports a sequence mismatch, else undefined. */
export function parseSequenceMismatch(code: number, codespace: string, log: string): SequenceMismatch | undefined {
  const m = MISMATCH_RE.exec(log);
  if (m) return { expected: BigInt(m[1]!), got: BigInt(m[2]!) };
  if (code === SDK_CODE_WRONG_SEQUENCE && (codespace === 'sdk' || codespace === '')) return { expected: undefined, got: undefined };
  if (/incorrect account sequence/i.test(log)) return { expected: undefined, got: undefined };
  return undefined;
}
