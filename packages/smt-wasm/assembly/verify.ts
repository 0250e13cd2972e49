// Proof verification's inner loop (spec §9.5): fold a leaf digest up through the side nodes to a
// root. Kept in WASM because it is one SHA-256 of 113 bytes per level and the chain side (and a
// relay miner checking its own proofs) verifies many proofs.
import { sha256 } from './sha256';

const PRE: usize = memory.data(113);

/**
 * cur (48 bytes) is the digest at the deepest level; sides holds n 48-byte side nodes, deepest
 * first; bit (n-1-i) of path picks the side of level i. The 48-byte result is written to out
 * (which may alias cur).
 */
export function foldProof(cur: usize, sides: usize, n: u32, path: usize, out: usize): void {
  memory.copy(out, cur, 48);
  for (let i: u32 = 0; i < n; i++) {
    const depth = n - 1 - i;
    const bit = (<u32>load<u8>(path + <usize>(depth >> 3)) >> (7 - (depth & 7))) & 1;
    const side = sides + <usize>i * 48;
    const left = bit == 0 ? out : side;
    const right = bit == 0 ? side : out;
    store<u8>(PRE, 1);
    memory.copy(PRE + 1, left, 48);
    memory.copy(PRE + 49, right, 48);
    const sum = bswap<u64>(load<u64>(left + 32)) + bswap<u64>(load<u64>(right + 32));
    const count = bswap<u64>(load<u64>(left + 40)) + bswap<u64>(load<u64>(right + 40));
    store<u64>(PRE + 97, bswap<u64>(sum));
    store<u64>(PRE + 105, bswap<u64>(count));
    sha256(PRE, 113, out);
    memory.copy(out + 32, PRE + 97, 16);
  }
}
