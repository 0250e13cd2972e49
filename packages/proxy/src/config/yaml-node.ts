/**
 * A YAML reader that types values the way Go's gopkg.in/yaml.v2 does when it decodes into the relay
 * miner's config structs: YAML 1.1 scalars, where a quoted "true" is a string (and so not a bool), a
 * plain scalar read into a string field keeps its source text (`port: 8080` as a string is "8080"),
 * and an empty or `~` value is the field's zero value. The `yaml` package's failsafe schema keeps
 * every scalar as text with its quoting style, which is exactly what that needs.
 */
import { Alias, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from './config-error.js';

export type YamlValue =
  | { readonly kind: 'map'; readonly entries: ReadonlyMap<string, YamlValue> }
  | { readonly kind: 'seq'; readonly items: readonly YamlValue[] }
  | { readonly kind: 'scalar'; readonly text: string; readonly plain: boolean }
  | { readonly kind: 'null' };

const NULL: YamlValue = { kind: 'null' };
const PLAIN_NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/** Parses a YAML document into the tree above; syntax errors name the line, never a value. */
export function parseYamlTree(text: string, sourceKey = ''): YamlValue {
  const doc = parseDocument(text, { schema: 'failsafe', version: '1.1', prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new ConfigError(sourceKey, `is not valid YAML${where} (${first.code})`);
  }
  return toTree(doc, doc.contents as Node | null, 0);
}

function toTree(doc: Document, node: Node | null | undefined, depth: number): YamlValue {
  // aliases may nest; a bound keeps a hostile "billion laughs" file from looping us
  if (depth > 64) throw new ConfigError('', 'YAML nesting is too deep');
  if (node === null || node === undefined) return NULL;
  if (isAlias(node)) return toTree(doc, (node as Alias).resolve(doc) as Node | undefined, depth + 1);
  if (isScalar(node)) {
    const text = String(node.value ?? '');
    const plain = node.type === 'PLAIN' || node.type === undefined;
    if (plain && PLAIN_NULLS.has(text)) return NULL;
    return { kind: 'scalar', text, plain };
  }
  if (isMap(node)) {
    const entries = new Map<string, YamlValue>();
    for (const pair of node.items) {
      const key = toTree(doc, pair.key as Node, depth + 1);
      if (key.kind !== 'scalar') throw new ConfigError('', 'mapping keys must be plain strings');
      entries.set(key.text, toTree(doc, pair.value as Node, depth + 1));
    }
    return { kind: 'map', entries };
  }
  if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => toTree(doc, item as Node, depth + 1)) };
  throw new ConfigError('', 'unsupported YAML node');
}

/** Typed access to one mapping, with each error naming the full key path. */
export class YamlMap {
  constructor(
    readonly path: string,
    private readonly entries: ReadonlyMap<string, YamlValue>,
  ) {}

  static of(value: YamlValue, path: string): YamlMap {
    if (value.kind === 'null') return new YamlMap(path, new Map());
    if (value.kind !== 'map') throw new ConfigError(path, 'must be a mapping');
    return new YamlMap(path, value.entries);
  }

  keyOf(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  has(name: string): boolean {
    const v = this.entries.get(name);
    return v !== undefined && v.kind !== 'null';
  }

  raw(name: string): YamlValue {
    return this.entries.get(name) ?? NULL;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  map(name: string): YamlMap {
    return YamlMap.of(this.raw(name), this.keyOf(name));
  }

  /** A string field: any scalar's text; absent or null → ''. */
  string(name: string): string {
    return scalarText(this.raw(name), this.keyOf(name));
  }

  /** A boolean that defaults to `fallback` when the key is absent or null. */
  boolOr(name: string, fallback: boolean): boolean {
    return this.raw(name).kind === 'null' ? fallback : this.bool(name);
  }

  bool(name: string): boolean {
    const v = this.raw(name);
    const key = this.keyOf(name);
    if (v.kind === 'null') return false;
    if (v.kind === 'scalar' && v.plain) {
      if (TRUE_WORDS.has(v.text)) return true;
      if (FALSE_WORDS.has(v.text)) return false;
    }
    throw new ConfigError(key, 'must be a boolean (true or false)');
  }

  /** An `int` field: YAML 1.1 integer forms; absent or null → 0. */
  int(name: string): number {
    const v = this.raw(name);
    const key = this.keyOf(name);
    if (v.kind === 'null') return 0;
    const n = v.kind === 'scalar' && v.plain ? parseYamlInt(v.text) : undefined;
    if (n === undefined) throw new ConfigError(key, 'must be an integer');
    if (!Number.isSafeInteger(n)) throw new ConfigError(key, 'is out of range');
    return n;
  }

  stringList(name: string): string[] {
    const v = this.raw(name);
    const key = this.keyOf(name);
    if (v.kind === 'null') return [];
    if (v.kind !== 'seq') throw new ConfigError(key, 'must be a list of strings');
    return v.items.map((item, i) => scalarText(item, `${key}[${i}]`));
  }

  list(name: string): { key: string; value: YamlValue }[] {
    const v = this.raw(name);
    const key = this.keyOf(name);
    if (v.kind === 'null') return [];
    if (v.kind !== 'seq') throw new ConfigError(key, 'must be a list');
    return v.items.map((value, i) => ({ key: `${key}[${i}]`, value }));
  }

  /** A map[string]string field. */
  stringMap(name: string): Map<string, string> {
    const m = this.map(name);
    const out = new Map<string, string>();
    for (const k of m.keys()) out.set(k, m.string(k));
    return out;
  }
}

function scalarText(v: YamlValue, key: string): string {
  if (v.kind === 'null') return '';
  if (v.kind !== 'scalar') throw new ConfigError(key, 'must be a string');
  return v.text;
}

/** YAML 1.1 integers as yaml.v2 resolves them: decimal, 0b, 0x, leading-0 octal, `_` separators. */
export function parseYamlInt(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  const m = /^([-+]?)(0b[01]+|0x[0-9a-fA-F]+|0[0-7]+|0|[1-9][0-9]*)$/.exec(t);
  if (!m) return undefined;
  const body = m[2]!;
  let n: bigint;
  if (body.startsWith('0b') || body.startsWith('0x')) n = BigInt(body);
  else if (body.length > 1 && body.startsWith('0')) n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  if (m[1] === '-') n = -n;
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) return Number.POSITIVE_INFINITY;
  return Number(n);
}
