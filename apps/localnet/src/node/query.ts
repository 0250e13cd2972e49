/**
 * The subset of CometBFT's event query language that clients actually send: conditions joined by AND, each
 * `key OP value` where OP is =, <, <=, >, >=, CONTAINS, or `key EXISTS`. Values are 'quoted strings' or
 * numbers. As in CometBFT 0.38, every condition is matched on its own against the flattened
 * `type.key -> [values]` map, not within one event.
 */
import { QuerySyntaxError } from './errors.js';

export type QueryOp = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';

export interface Condition {
  key: string;
  op: QueryOp;
  value: string | number | null;
}

export interface EventQuery {
  source: string;
  conditions: Condition[];
}

/** Flattened events: `"message.sender" -> ["pokt1…"]`, `"tm.event" -> ["Tx"]`. */
export type EventMap = Record<string, string[]>;

const TOKEN = /\s*(?:(AND)\b|(EXISTS)\b|(CONTAINS)\b|(<=|>=|=|<|>)|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.\-/]*))/y;

type Token =
  | { t: 'and' }
  | { t: 'op'; op: QueryOp }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'key'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new QuerySyntaxError(src, `unexpected input at offset ${pos}`);
    pos = TOKEN.lastIndex;
    if (m[1]) out.push({ t: 'and' });
    else if (m[2]) out.push({ t: 'op', op: 'EXISTS' });
    else if (m[3]) out.push({ t: 'op', op: 'CONTAINS' });
    else if (m[4]) out.push({ t: 'op', op: m[4] as QueryOp });
    else if (m[5] !== undefined) out.push({ t: 'str', v: m[5].replace(/\\(.)/g, '$1') });
    else if (m[6] !== undefined) out.push({ t: 'num', v: Number(m[6]) });
    else out.push({ t: 'key', v: m[7]! });
  }
  return out;
}

export function parseQuery(src: string): EventQuery {
  const tokens = tokenize(src);
  const conditions: Condition[] = [];
  let i = 0;
  while (i < tokens.length) {
    const key = tokens[i++];
    if (!key || key.t !== 'key') throw new QuerySyntaxError(src, 'expected a key');
    const op = tokens[i++];
    if (!op || op.t !== 'op') throw new QuerySyntaxError(src, `expected an operator after ${key.v}`);
    if (op.op === 'EXISTS') {
      conditions.push({ key: key.v, op: 'EXISTS', value: null });
    } else {
      const val = tokens[i++];
      if (!val || (val.t !== 'str' && val.t !== 'num')) throw new QuerySyntaxError(src, `expected a value after ${key.v} ${op.op}`);
      if (op.op === 'CONTAINS' && val.t !== 'str') throw new QuerySyntaxError(src, 'CONTAINS takes a string');
      conditions.push({ key: key.v, op: op.op, value: val.v });
    }
    if (i < tokens.length) {
      if (tokens[i]!.t !== 'and') throw new QuerySyntaxError(src, 'conditions must be joined by AND');
      i++;
      if (i === tokens.length) throw new QuerySyntaxError(src, 'dangling AND');
    }
  }
  if (conditions.length === 0) throw new QuerySyntaxError(src, 'empty query');
  return { source: src, conditions };
}

function compare(actual: string, op: QueryOp, want: string | number | null): boolean {
  switch (op) {
    case 'EXISTS':
      return true;
    case 'CONTAINS':
      return actual.includes(String(want));
    case '=':
      return typeof want === 'number' ? actual.trim() !== '' && Number(actual) === want : actual === want;
    default: {
      // Ordering only makes sense numerically; a string bound compares lexically as a fallback.
      const a: number | string = typeof want === 'number' ? Number(actual) : actual;
      if (typeof a === 'number' && Number.isNaN(a)) return false;
      const w = want as number | string;
      if (op === '<') return a < w;
      if (op === '<=') return a <= w;
      if (op === '>') return a > w;
      return a >= w;
    }
  }
}

export function matches(query: EventQuery, events: EventMap): boolean {
  return query.conditions.every((c) => {
    const values = events[c.key];
    if (!values || values.length === 0) return false;
    return values.some((v) => compare(v, c.op, c.value));
  });
}
