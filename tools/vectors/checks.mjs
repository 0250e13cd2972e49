// Helpers shared by the vector suites.

/** Runs one record's checks; a record that makes the implementation throw is one failure, not the end of the suite. */
export function guarded(check, label, fn) {
  try {
    fn();
  } catch (err) {
    check(label, false, `threw: ${err?.stack ?? err}`);
  }
}

const view = new DataView(new ArrayBuffer(8));

/** IEEE-754 bits of a float64 as 16 lowercase hex digits (the vectors' `…_bits` form). */
export function floatBits(x) {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

export function floatFromBits(hex) {
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}
