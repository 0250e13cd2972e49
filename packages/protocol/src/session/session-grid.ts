/**
 * The session grid (x/shared/types/session.go at the pinned poktroll commit): sessions of N blocks
 * laid from an anchor, falling back to the genesis grid [1..N], [N+1..2N], … when the anchor is
 * unset or lies above the queried height. Non-positive heights are not blocks: start, end and
 * number are all 0 there, as in Go.
 */
import { assertInt64 } from './integer-checks.js';
import { readGridParams, type SessionGridParamsInput } from './shared-params.js';

function effectiveAnchor(params: SessionGridParamsInput, height: bigint) {
  const grid = readGridParams(params);
  if (grid.anchorHeight <= 0n || grid.anchorHeight > height)
    return { n: grid.numBlocksPerSession, anchor: 1n, numberAtAnchor: 1n };
  return {
    n: grid.numBlocksPerSession,
    anchor: grid.anchorHeight,
    numberAtAnchor: grid.numberAtAnchor < 1n ? 1n : grid.numberAtAnchor,
  };
}

export function sessionStartHeight(params: SessionGridParamsInput, height: bigint): bigint {
  assertInt64('height', height);
  const { n, anchor } = effectiveAnchor(params, height);
  if (height <= 0n) return 0n;
  // height ≥ anchor here, so truncating division equals floor division.
  return anchor + ((height - anchor) / n) * n;
}

export function sessionEndHeight(params: SessionGridParamsInput, height: bigint): bigint {
  assertInt64('height', height);
  if (height <= 0n) {
    readGridParams(params);
    return 0n;
  }
  return sessionStartHeight(params, height) + params.numBlocksPerSession - 1n;
}

export function sessionNumber(params: SessionGridParamsInput, height: bigint): bigint {
  assertInt64('height', height);
  const { n, anchor, numberAtAnchor } = effectiveAnchor(params, height);
  if (height <= 0n) return 0n;
  return numberAtAnchor + (height - anchor) / n;
}

export function isSessionStartHeight(params: SessionGridParamsInput, height: bigint): boolean {
  return sessionStartHeight(params, height) === height;
}

export function isSessionEndHeight(params: SessionGridParamsInput, height: bigint): boolean {
  return sessionEndHeight(params, height) === height;
}

export function nextSessionStartHeight(params: SessionGridParamsInput, height: bigint): bigint {
  return sessionEndHeight(params, height) + 1n;
}
