/** gob primitives (§10.1), canonical headers (§10.3), the worked example (§10.4), decoder rules. */
import { describe, expect, it } from 'vitest';
import { GobDecodeError } from '../../../src/errors.js';
import { sha256 } from '../../../src/hash.js';
import { GobReader, GobWriter } from '../../../src/proof/gob-wire.js';
import {
  checkClosestProofBytes,
  compactClosestProof,
  decompactClosestProof,
  gobHeader,
  marshalSparseCompactMerkleClosestProof,
  marshalSparseCompactMerkleProof,
  unmarshalSparseCompactMerkleClosestProof,
  unmarshalSparseCompactMerkleProof,
  unmarshalSparseMerkleClosestProof,
  unmarshalSparseMerkleProof,
  verifyClosestProof,
  verifyCompactClosestProof,
  type SparseCompactMerkleClosestProof,
  type SparseMerkleClosestProof,
} from '../../../src/proof/index.js';
import { compactClosestFromJson, hex, loose, toHex, vectors } from './vectors.js';

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const u64 = (n: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
};

describe('gob primitives (spec §10.1)', () => {
  const uints: [number, string][] = [
    [5, '05'],
    [127, '7f'],
    [128, 'ff80'],
    [207, 'ffcf'],
    [490, 'fe01ea'],
  ];
  const ints: [number, string][] = [
    [0, '00'],
    [1, '02'],
    [2, '04'],
    [7, '0e'],
    [64, 'ff80'],
    [-64, '7f'],
    [65, 'ff82'],
    [-65, 'ff81'],
    [66, 'ff84'],
    [-66, 'ff83'],
    [67, 'ff86'],
    [-67, 'ff85'],
  ];

  it.each(uints)('uint %d ↔ %s', (n, h) => {
    expect(toHex(new GobWriter().uint(n).finish())).toBe(h);
    expect(new GobReader(hex(h)).readUint()).toBe(BigInt(n));
  });

  it.each(ints)('int %d ↔ %s', (n, h) => {
    expect(toHex(new GobWriter().int(n).finish())).toBe(h);
    expect(new GobReader(hex(h)).readInt()).toBe(BigInt(n));
  });

  it('covers the full uint64 / int64 ranges', () => {
    const max = (1n << 64n) - 1n;
    expect(toHex(new GobWriter().uint(max).finish())).toBe('f8ffffffffffffffff');
    expect(new GobReader(hex('f8ffffffffffffffff')).readUint()).toBe(max);
    for (const n of [(1n << 63n) - 1n, -(1n << 63n), -1n, 1n << 53n]) {
      expect(new GobReader(new GobWriter().int(n).finish()).readInt()).toBe(n);
    }
  });

  it('accepts non-minimal uints like Go, rejects impossible ones', () => {
    expect(new GobReader(hex('ff05')).readUint()).toBe(5n);
    expect(new GobReader(hex('f80000000000000005')).readUint()).toBe(5n);
    expect(() => new GobReader(hex('f7000000000000000005')).readUint()).toThrow(GobDecodeError);
    expect(() => new GobReader(hex('fe01')).readUint()).toThrow(GobDecodeError);
    expect(() => new GobReader(new Uint8Array(0)).readUint()).toThrow(GobDecodeError);
  });

  it('writes byte strings as length + bytes', () => {
    expect(toHex(new GobWriter().bytes(hex('626172')).finish())).toBe('03626172');
  });
});

// The constant headers exactly as printed in spec §10.3.
const SPEC_HEADERS = {
  SparseMerkleProof:
    '577f030101115370617273654d65726b6c6550726f6f6601ff800001030109536964654e6f64657301ff820001154e6f6e4d656d626572736869704c65616644617461010a00010b5369626c696e6744617461010a00000017ff81020101095b5d5b5d75696e743801ff8200010a0000',
  SparseCompactMerkleProof:
    '7b7f03010118537061727365436f6d706163744d65726b6c6550726f6f6601ff800001050109536964654e6f64657301ff820001154e6f6e4d656d626572736869704c65616644617461010a0001074269744d61736b010a00010c4e756d536964654e6f646573010400010b5369626c696e6744617461010a00000017ff81020101095b5d5b5d75696e743801ff8200010a0000',
  SparseMerkleClosestProof:
    'ff807f030101185370617273654d65726b6c65436c6f7365737450726f6f6601ff80000106010450617468010a00010b466c69707065644269747301ff820001054465707468010400010b436c6f7365737450617468010a000110436c6f7365737456616c756548617368010a00010c436c6f7365737450726f6f6601ff8400000013ff81020101055b5d696e7401ff82000104000058ff83030101115370617273654d65726b6c6550726f6f6601ff840001030109536964654e6f64657301ff860001154e6f6e4d656d626572736869704c65616644617461010a00010b5369626c696e6744617461010a00000017ff85020101095b5d5b5d75696e743801ff8600010a0000',
  SparseCompactMerkleClosestProof:
    'ff877f0301011f537061727365436f6d706163744d65726b6c65436c6f7365737450726f6f6601ff80000106010450617468010a00010b466c69707065644269747301ff820001054465707468010a00010b436c6f7365737450617468010a000110436c6f7365737456616c756548617368010a00010c436c6f7365737450726f6f6601ff8400000017ff81020101095b5d5b5d75696e743801ff8200010a00007cff8303010118537061727365436f6d706163744d65726b6c6550726f6f6601ff840001050109536964654e6f64657301ff820001154e6f6e4d656d626572736869704c65616644617461010a0001074269744d61736b010a00010c4e756d536964654e6f646573010400010b5369626c696e6744617461010a000000',
} as const;

describe('canonical headers (spec §10.3)', () => {
  it.each(Object.entries(SPEC_HEADERS))('%s header matches the spec', (kind, h) => {
    expect(toHex(gobHeader(kind as keyof typeof SPEC_HEADERS))).toBe(h);
  });

  it('prefixes every gob byte string of the vectors', () => {
    const all = [vectors, ...vectors.edge_cases];
    for (const s of all) {
      for (const p of s.prove) {
        expect(p.proof_gob.startsWith(SPEC_HEADERS.SparseMerkleProof)).toBe(true);
        expect(p.compact_proof_gob.startsWith(SPEC_HEADERS.SparseCompactMerkleProof)).toBe(true);
      }
      for (const c of s.closest) {
        if (c.proof_gob === null) continue;
        expect(c.proof_gob.startsWith(SPEC_HEADERS.SparseMerkleClosestProof)).toBe(true);
        expect(c.compact_proof_gob!.startsWith(SPEC_HEADERS.SparseCompactMerkleClosestProof)).toBe(true);
      }
    }
  });
});

describe('worked example (spec §10.4)', () => {
  // Trie: Update("foo","bar",5), Update("baz","qux",7). H("foo") starts with bit 0 = 0 and H("baz")
  // with bit 0 = 1, so the root is one inner node over the two leaves.
  const leafPayload = (value: string, weight: bigint) => cat(enc(value), u64(weight), u64(1n));
  const leafPre = (key: string, value: string, weight: bigint) => cat(Uint8Array.of(0), sha256(enc(key)), leafPayload(value, weight));
  const digestOf = (pre: Uint8Array) => cat(sha256(pre), pre.subarray(pre.length - 16));
  const foo = digestOf(leafPre('foo', 'bar', 5n));
  const baz = digestOf(leafPre('baz', 'qux', 7n));
  const root = digestOf(cat(Uint8Array.of(1), foo, baz, u64(12n), u64(2n)));
  const pathX = sha256(enc('x'));

  const proof: SparseMerkleClosestProof = {
    path: pathX,
    flippedBits: [],
    depth: 1,
    closestPath: sha256(enc('foo')),
    closestValueHash: leafPayload('bar', 5n),
    closestProof: { sideNodes: [baz], nonMembershipLeafData: null, siblingData: leafPre('baz', 'qux', 7n) },
  };

  const expectedValue = cat(
    hex('ffcf' + 'ff80'),
    hex('0120'), pathX,
    hex('020101'),
    hex('0120'), sha256(enc('foo')),
    hex('0113626172'), u64(5n), u64(1n),
    hex('01'),
    hex('010130'), baz,
    hex('020100'),
    hex('0102'),
    hex('0134'), leafPre('baz', 'qux', 7n),
    hex('00'),
    hex('00'),
  );

  it('has the annotated bytes, length 207', () => {
    expect(toHex(pathX).startsWith('2d711642')).toBe(true);
    expect(toHex(sha256(enc('foo'))).startsWith('2c26b46b')).toBe(true);
    expect(expectedValue.length - 2).toBe(207);
    const bytes = marshalSparseCompactMerkleClosestProof(compactClosestProof(proof));
    expect(toHex(bytes)).toBe(SPEC_HEADERS.SparseCompactMerkleClosestProof + toHex(expectedValue));
  });

  it('verifies against the two-leaf root, and round-trips', () => {
    expect(verifyClosestProof(proof, root)).toBe(true);
    const bytes = hex(SPEC_HEADERS.SparseCompactMerkleClosestProof + toHex(expectedValue));
    expect(checkClosestProofBytes(bytes, root)).toEqual({ valid: true, stage: 'ok' });
    expect(loose(decompactClosestProof(unmarshalSparseCompactMerkleClosestProof(bytes)))).toEqual(loose(proof));
    expect(verifyClosestProof(proof, Uint8Array.from(root, (b, i) => (i === 40 ? b ^ 1 : b)))).toBe(false);
  });

  it('encodes the empty-trie closest proof as the spec shows', () => {
    const path = sha256(enc('anything'));
    const empty: SparseMerkleClosestProof = {
      path,
      flippedBits: [0],
      depth: 0,
      closestPath: new Uint8Array(48),
      closestValueHash: null,
      closestProof: { sideNodes: [], nonMembershipLeafData: null, siblingData: null },
    };
    const bytes = marshalSparseCompactMerkleClosestProof(compactClosestProof(empty));
    const value = cat(hex('60ff800120'), path, hex('0101010001010001' + '30'), new Uint8Array(48), hex('020000'));
    expect(toHex(bytes)).toBe(SPEC_HEADERS.SparseCompactMerkleClosestProof + toHex(value));
    expect(checkClosestProofBytes(bytes, new Uint8Array(48)).valid).toBe(true);
  });
});

// ---- a hand-rolled gob writer for streams the canonical encoder never produces ----------------

type Def =
  | { id: number; kind: 'struct'; name: string; fields: [string, number][] }
  | { id: number; kind: 'slice'; name: string; elem: number }
  | { id: number; kind: 'array'; name: string; elem: number; len: number }
  | { id: number; kind: 'map'; name: string; key: number; elem: number }
  | { id: number; kind: 'gobencoder'; name: string };

function common(w: GobWriter, name: string, id: number) {
  w.uint(1).uint(1).string(name).uint(1).int(id).uint(0);
}

function defMessage(d: Def): Uint8Array {
  const w = new GobWriter().int(-d.id);
  switch (d.kind) {
    case 'struct':
      w.uint(3);
      common(w, d.name, d.id);
      w.uint(1).uint(d.fields.length);
      for (const [n, id] of d.fields) w.uint(1).string(n).uint(1).int(id).uint(0);
      w.uint(0);
      break;
    case 'slice':
      w.uint(2);
      common(w, d.name, d.id);
      w.uint(1).int(d.elem).uint(0);
      break;
    case 'array':
      w.uint(1);
      common(w, d.name, d.id);
      w.uint(1).int(d.elem).uint(1).int(d.len).uint(0);
      break;
    case 'map':
      w.uint(4);
      common(w, d.name, d.id);
      w.uint(1).int(d.key).uint(1).int(d.elem).uint(0);
      break;
    case 'gobencoder':
      w.uint(5);
      common(w, d.name, d.id);
      w.uint(0);
      break;
  }
  return w.uint(0).asMessage();
}

function valueMessage(id: number | bigint, body: (w: GobWriter) => void): Uint8Array {
  const w = new GobWriter().int(id);
  body(w);
  return w.asMessage();
}

const INT = 2;
const BYTES = 5;
const STRING = 6;

/** The main trie's path-0 compact closest proof, our reference payload. */
const base = vectors.closest.find((c) => c.label === 'path-0')!;
const baseProof: SparseCompactMerkleClosestProof = compactClosestFromJson(base.compact_proof);

/** Writes the compact closest proof's fields under the given field numbering. */
function writeCompactClosest(w: GobWriter, order: string[], p: SparseCompactMerkleClosestProof, extra?: Record<string, (w: GobWriter) => void>) {
  const cp = p.closestProof!;
  const inner = (w2: GobWriter, innerOrder: string[]) => {
    const vals: Record<string, ((w: GobWriter) => void) | null> = {
      SideNodes: cp.sideNodes.length ? (x) => { x.uint(cp.sideNodes.length); cp.sideNodes.forEach((s) => x.bytes(s)); } : null,
      NonMembershipLeafData: cp.nonMembershipLeafData ? (x) => x.bytes(cp.nonMembershipLeafData!) : null,
      BitMask: cp.bitMask?.length ? (x) => x.bytes(cp.bitMask!) : null,
      NumSideNodes: cp.numSideNodes ? (x) => x.int(cp.numSideNodes) : null,
      SiblingData: cp.siblingData ? (x) => x.bytes(cp.siblingData!) : null,
      ...extra,
    };
    writeFields(w2, innerOrder, vals);
  };
  const vals: Record<string, ((w: GobWriter) => void) | null> = {
    Path: (x) => x.bytes(p.path),
    FlippedBits: p.flippedBits.length ? (x) => { x.uint(p.flippedBits.length); p.flippedBits.forEach((b) => x.bytes(b)); } : null,
    Depth: (x) => x.bytes(p.depth),
    ClosestPath: (x) => x.bytes(p.closestPath),
    ClosestValueHash: p.closestValueHash ? (x) => x.bytes(p.closestValueHash!) : null,
    ClosestProof: (x) => inner(x, INNER_ORDER_FOR_WRITE.current),
    ...extra,
  };
  writeFields(w, order, vals);
}

const INNER_ORDER_FOR_WRITE = { current: ['SideNodes', 'NonMembershipLeafData', 'BitMask', 'NumSideNodes', 'SiblingData'] };

function writeFields(w: GobWriter, order: string[], vals: Record<string, ((w: GobWriter) => void) | null>) {
  let prev = -1;
  order.forEach((name, i) => {
    const v = vals[name];
    if (!v) return;
    w.uint(i - prev);
    v(w);
    prev = i;
  });
  w.uint(0);
}

const TOP_FIELDS = ['Path', 'FlippedBits', 'Depth', 'ClosestPath', 'ClosestValueHash', 'ClosestProof'];
const INNER_FIELDS = ['SideNodes', 'NonMembershipLeafData', 'BitMask', 'NumSideNodes', 'SiblingData'];

function topDef(id: number, order: string[], ids: Record<string, number>): Def {
  return { id, kind: 'struct', name: 'SparseCompactMerkleClosestProof', fields: order.map((n) => [n, ids[n]!]) };
}
function innerDef(id: number, order: string[], ids: Record<string, number>): Def {
  return { id, kind: 'struct', name: 'SparseCompactMerkleProof', fields: order.map((n) => [n, ids[n]!]) };
}

describe('gob decoding is type-id agnostic and follows Go’s rules', () => {
  const root = hex(vectors.root);
  const expected = loose(baseProof);

  function stream(opts: {
    top?: number;
    inner?: number;
    bslice?: number;
    topOrder?: string[];
    innerOrder?: string[];
    defsFirst?: Def[];
    idsOverride?: Record<string, number>;
    extra?: Record<string, (w: GobWriter) => void>;
    valueId?: number | bigint;
  }): Uint8Array {
    const top = opts.top ?? 64;
    const inner = opts.inner ?? 66;
    const bslice = opts.bslice ?? 65;
    const topOrder = opts.topOrder ?? TOP_FIELDS;
    const innerOrder = opts.innerOrder ?? INNER_FIELDS;
    INNER_ORDER_FOR_WRITE.current = innerOrder;
    const ids: Record<string, number> = {
      Path: BYTES, FlippedBits: bslice, Depth: BYTES, ClosestPath: BYTES, ClosestValueHash: BYTES, ClosestProof: inner,
      SideNodes: bslice, NonMembershipLeafData: BYTES, BitMask: BYTES, NumSideNodes: INT, SiblingData: BYTES,
      ...opts.idsOverride,
    };
    const defs = [
      ...(opts.defsFirst ?? []),
      topDef(top, topOrder, ids),
      { id: bslice, kind: 'slice', name: '[][]uint8', elem: BYTES } as Def,
      innerDef(inner, innerOrder, ids),
    ];
    const value = valueMessage(opts.valueId ?? top, (w) => writeCompactClosest(w, topOrder, baseProof, opts.extra));
    INNER_ORDER_FOR_WRITE.current = INNER_FIELDS;
    return cat(...defs.map(defMessage), value);
  }

  it('reproduces the canonical bytes with the default ids', () => {
    expect(toHex(stream({}))).toBe(base.compact_proof_gob);
  });

  it('decodes Go 1.19 ids (from 65) and arbitrary ids', () => {
    for (const [top, bslice, inner] of [[65, 66, 67], [1000, 64, 70000], [2 ** 30, 99, 64]] as const) {
      const bytes = stream({ top, bslice, inner });
      expect(loose(unmarshalSparseCompactMerkleClosestProof(bytes))).toEqual(expected);
      expect(checkClosestProofBytes(bytes, root).valid).toBe(true);
    }
  });

  it('matches fields by name whatever their order', () => {
    const topOrder = [...TOP_FIELDS].reverse();
    const innerOrder = ['SiblingData', 'NumSideNodes', 'SideNodes', 'BitMask', 'NonMembershipLeafData'];
    const bytes = stream({ topOrder, innerOrder });
    expect(loose(unmarshalSparseCompactMerkleClosestProof(bytes))).toEqual(expected);
  });

  it('skips unknown fields of every gob kind, like Go', () => {
    const defsFirst: Def[] = [
      { id: 80, kind: 'struct', name: 'Extra', fields: [['A', INT], ['B', STRING], ['Self', 80], ['M', 82]] },
      { id: 81, kind: 'array', name: '[3]int', elem: INT, len: 3 },
      { id: 82, kind: 'map', name: 'map[string]int', key: STRING, elem: INT },
      { id: 83, kind: 'gobencoder', name: 'Opaque' },
      { id: 84, kind: 'slice', name: '[]Extra', elem: 80 },
    ];
    const extraFields: [string, number][] = [
      ['XBool', 1], ['XUint', 3], ['XFloat', 4], ['XString', STRING], ['XComplex', 7],
      ['XStruct', 80], ['XArray', 81], ['XMap', 82], ['XOpaque', 83], ['XSlice', 84], ['unexportedPath', BYTES],
    ];
    const topOrder = [...TOP_FIELDS.slice(0, 3), ...extraFields.map(([n]) => n), ...TOP_FIELDS.slice(3)];
    const idsOverride = Object.fromEntries(extraFields);
    const writeExtra = (w: GobWriter) => {
      // struct Extra{A:5, B:"hi", Self:{A:1}, M:{"k":2}}
      w.uint(1).int(5).uint(1).string('hi').uint(1).uint(1).int(1).uint(0).uint(1).uint(1).string('k').int(2).uint(0);
    };
    const extra: Record<string, (w: GobWriter) => void> = {
      XBool: (w) => w.uint(1),
      XUint: (w) => w.uint(1n << 40n),
      XFloat: (w) => w.uint(0x40f0n),
      XString: (w) => w.string('ignored'),
      XComplex: (w) => w.uint(1).uint(2),
      XStruct: writeExtra,
      XArray: (w) => w.uint(3).int(1).int(-2).int(3),
      XMap: (w) => w.uint(2).string('a').int(1).string('b').int(2),
      XOpaque: (w) => w.bytes(hex('deadbeef')),
      XSlice: (w) => { w.uint(2); writeExtra(w); writeExtra(w); },
      unexportedPath: (w) => w.bytes(hex('ffff')),
    };
    const bytes = stream({ defsFirst, topOrder, idsOverride, extra });
    expect(loose(unmarshalSparseCompactMerkleClosestProof(bytes))).toEqual(expected);
    expect(checkClosestProofBytes(bytes, root).valid).toBe(true);
  });

  const bad: [string, () => Uint8Array][] = [
    ['a field with the wrong declared type (Depth as int)', () => stream({ idsOverride: { Depth: INT } })],
    ['a field with the wrong declared type (Path as string)', () => stream({ idsOverride: { Path: STRING } })],
    ['side nodes declared as []int', () => cat(defMessage({ id: 90, kind: 'slice', name: '[]int', elem: INT }), stream({ bslice: 65, idsOverride: { SideNodes: 90 } }).subarray(0))],
    ['an unknown field of an undefined type', () => stream({ topOrder: [...TOP_FIELDS, 'Ghost'], idsOverride: { Ghost: 500 } })],
    ['an unknown interface field that is present', () => stream({ topOrder: [...TOP_FIELDS, 'Any'], idsOverride: { Any: 8 }, extra: { Any: (w) => w.string('x') } })],
    ['a value of an undefined type id', () => stream({ valueId: 77 })],
    ['a value whose type is a slice', () => stream({ valueId: 65 })],
    ['a value of a builtin type', () => stream({ valueId: INT })],
    ['a struct with no matching field', () => cat(defMessage({ id: 64, kind: 'struct', name: 'Other', fields: [['Nope', INT]] }), valueMessage(64, (w) => w.uint(1).int(3).uint(0)))],
    ['a redefined type id', () => cat(defMessage({ id: 65, kind: 'slice', name: 'x', elem: BYTES }), stream({}))],
    ['a definition of a builtin id', () => cat(defMessage({ id: 20, kind: 'slice', name: 'x', elem: BYTES }), stream({}))],
    ['extra data after a definition', () => {
      const d = defMessage({ id: 99, kind: 'slice', name: 'x', elem: BYTES });
      const body = cat(d.subarray(1), hex('00'));
      return cat(Uint8Array.of(body.length), body, stream({}));
    }],
    ['an empty field name', () => stream({ topOrder: [...TOP_FIELDS, ''], idsOverride: { '': INT } })],
    ['definitions only', () => hex(SPEC_HEADERS.SparseCompactMerkleClosestProof)],
    ['a field number past the declared fields', () => cat(hex(SPEC_HEADERS.SparseCompactMerkleClosestProof), valueMessage(64, (w) => w.uint(7).bytes(hex('00')).uint(0)))],
    ['a negative field delta', () => cat(hex(SPEC_HEADERS.SparseCompactMerkleClosestProof), valueMessage(64, (w) => w.uint((1n << 64n) - 1n).uint(0)))],
    ['a zero-length message', () => cat(hex(SPEC_HEADERS.SparseCompactMerkleClosestProof), hex('00'))],
  ];

  it.each(bad)('rejects %s with GobDecodeError', (_name, make) => {
    const bytes = make();
    expect(() => unmarshalSparseCompactMerkleClosestProof(bytes)).toThrow(GobDecodeError);
    expect(checkClosestProofBytes(bytes, root)).toMatchObject({ valid: false, stage: 'unmarshal' });
  });

  it('rejects empty input with EOF and every truncation with unexpected EOF', () => {
    expect(() => unmarshalSparseCompactMerkleClosestProof(new Uint8Array(0))).toThrow(/gob: EOF/);
    const full = hex(base.compact_proof_gob!);
    for (let n = 1; n < full.length; n++) {
      expect(() => unmarshalSparseCompactMerkleClosestProof(full.subarray(0, n))).toThrow(GobDecodeError);
    }
  });

  it('never allocates from overlong lengths or counts', () => {
    const h = hex(SPEC_HEADERS.SparseCompactMerkleClosestProof);
    const cases = [
      cat(h, new GobWriter().uint((1n << 62n)).finish()), // message length
      cat(h, valueMessage(64, (w) => w.uint(1).uint(1n << 60n))), // Path length
      cat(h, valueMessage(64, (w) => w.uint(2).uint((1n << 64n) - 1n))), // FlippedBits count
      cat(h, valueMessage(64, (w) => w.uint(6).uint(1).uint(1n << 40n))), // SideNodes count
      cat(defMessage({ id: 64, kind: 'struct', name: 'S', fields: [['Path', BYTES], ['Arr', 65]] }),
        defMessage({ id: 65, kind: 'array', name: '[]', elem: INT, len: 2 ** 40 }),
        valueMessage(64, (w) => w.uint(2).uint(2 ** 40).uint(0))), // ignored array
      hex('f8ffffffffffffffff'), // absurd first message length
      hex('ff'),
    ];
    for (const bytes of cases) {
      expect(() => unmarshalSparseCompactMerkleClosestProof(bytes)).toThrow(GobDecodeError);
    }
  });

  it.each([
    [50, true],
    [20000, false],
  ])('skips a recursive unknown type nested %d deep: accepted=%s, never a stack overflow', (depth, ok) => {
    const defs = cat(
      defMessage({ id: 64, kind: 'struct', name: 'S', fields: [['Deep', 65], ['Path', BYTES]] }),
      defMessage({ id: 65, kind: 'struct', name: 'R', fields: [['Next', 65]] }),
    );
    const w = new GobWriter().int(64).uint(1);
    for (let i = 0; i < depth; i++) w.uint(1);
    for (let i = 0; i <= depth; i++) w.uint(0);
    w.uint(1).bytes(new Uint8Array(32).fill(1)).uint(0);
    const bytes = cat(defs, w.asMessage());
    if (ok) expect(toHex(unmarshalSparseCompactMerkleClosestProof(bytes).path)).toBe('01'.repeat(32));
    else expect(() => unmarshalSparseCompactMerkleClosestProof(bytes)).toThrow(GobDecodeError);
  });

  it('ignores bytes after the value and accepts a struct cut at the message end, like Go', () => {
    const full = hex(base.compact_proof_gob!);
    expect(loose(unmarshalSparseCompactMerkleClosestProof(cat(full, hex('0badc0ffee'))))).toEqual(expected);
    const h = hex(SPEC_HEADERS.SparseCompactMerkleClosestProof);
    const noTerminator = cat(h, valueMessage(64, (w) => w.uint(1).bytes(new Uint8Array(32).fill(7))));
    expect(toHex(unmarshalSparseCompactMerkleClosestProof(noTerminator).path)).toBe('07'.repeat(32));
  });

  it('truncates the message type id to int32 like Go', () => {
    const bytes = cat(hex(SPEC_HEADERS.SparseCompactMerkleClosestProof), valueMessage((1n << 32n) + 64n, (w) => writeCompactClosest(w, TOP_FIELDS, baseProof)));
    expect(loose(unmarshalSparseCompactMerkleClosestProof(bytes))).toEqual(expected);
  });

  it('keeps int64 values outside the safe range out of every valid range', () => {
    const closest = decompactClosestProof(baseProof);
    const inner = closest.closestProof!;
    const huge = [(1n << 63n) - 1n, -(1n << 63n), (1n << 53n) + 1n, -(1n << 53n) - 1n, 1n << 32n, -1n];
    for (const n of huge) {
      // NumSideNodes = n on a compact proof: decoding succeeds, decompaction must refuse it.
      const w = new GobWriter().int(64).uint(4).int(n).uint(0);
      const compact = unmarshalSparseCompactMerkleProof(cat(hex(SPEC_HEADERS.SparseCompactMerkleProof), w.asMessage()));
      expect(Number.isInteger(compact.numSideNodes) && compact.numSideNodes >= 0 && compact.numSideNodes <= 256).toBe(false);

      // Depth = n (and a flipped bit = n) on an otherwise valid closest proof: never valid.
      for (const field of ['depth', 'flip'] as const) {
        const body = new GobWriter().int(64).uint(1).bytes(closest.path);
        if (field === 'flip') body.uint(1).uint(1).int(n).uint(1).int(closest.depth);
        else body.uint(2).int(n);
        body.uint(1).bytes(closest.closestPath).uint(1).bytes(closest.closestValueHash!).uint(1);
        body.uint(1).uint(inner.sideNodes.length);
        inner.sideNodes.forEach((s) => body.bytes(s));
        body.uint(2).bytes(inner.siblingData!).uint(0).uint(0);
        const p = unmarshalSparseMerkleClosestProof(cat(hex(SPEC_HEADERS.SparseMerkleClosestProof), body.asMessage()));
        expect(verifyClosestProof(p, root)).toBe(false);
      }
    }
    // Control: the same hand-written encoding with the real depth verifies.
    const body = new GobWriter().int(64).uint(1).bytes(closest.path).uint(2).int(closest.depth);
    body.uint(1).bytes(closest.closestPath).uint(1).bytes(closest.closestValueHash!).uint(1);
    body.uint(1).uint(inner.sideNodes.length);
    inner.sideNodes.forEach((s) => body.bytes(s));
    body.uint(2).bytes(inner.siblingData!).uint(0).uint(0);
    const good = cat(hex(SPEC_HEADERS.SparseMerkleClosestProof), body.asMessage());
    expect(verifyClosestProof(unmarshalSparseMerkleClosestProof(good), root)).toBe(true);
  });

  it('decodes all four types from the vectors (nested nil vs empty)', () => {
    const p = vectors.prove[0]!;
    expect(unmarshalSparseMerkleProof(hex(p.proof_gob)).nonMembershipLeafData).toBeNull();
    const compact = unmarshalSparseCompactMerkleProof(hex(p.compact_proof_gob));
    expect(toHex(marshalSparseCompactMerkleProof(compact))).toBe(p.compact_proof_gob);
    const nilInner = vectors.tampered.find((t) => t.label === 'closest_proof_nil')!;
    expect(unmarshalSparseCompactMerkleClosestProof(hex(nilInner.compact_proof_gob)).closestProof).toBeNull();
    expect(verifyCompactClosestProof(unmarshalSparseCompactMerkleClosestProof(hex(nilInner.compact_proof_gob)), root)).toBe(false);
  });
});
