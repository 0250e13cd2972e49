/**
 * The bits of Go's net/url and path the relay miner uses to merge a client URL into a backend URL
 * (protocol.md §11 step 5), so backends see the same path and query the Go miner would send.
 */

/** Go's `path.Join`: empty elements skipped, result cleaned (no trailing slash), "" when all are empty. */
export function goPathJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  return joined === '' ? '' : goPathClean(joined);
}

/** Go's `path.Clean`. */
export function goPathClean(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const body = out.join('/');
  if (rooted) return `/${body}`;
  return body === '' ? '.' : body;
}

const UNESCAPED = /[A-Za-z0-9\-_.~]/;

/** Go's `url.QueryEscape`. */
export function goQueryEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (UNESCAPED.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's `url.ParseQuery` into ordered pairs; pairs Go would reject (bad escapes, `;`) are skipped as Go does. */
export function goParseQuery(rawQuery: string, into: Map<string, string[]> = new Map()): Map<string, string[]> {
  for (const part of rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const key = goQueryUnescape(eq < 0 ? part : part.slice(0, eq));
    const value = goQueryUnescape(eq < 0 ? '' : part.slice(eq + 1));
    if (key === undefined || value === undefined) continue;
    const values = into.get(key);
    if (values) values.push(value);
    else into.set(key, [value]);
  }
  return into;
}

function goQueryUnescape(text: string): string | undefined {
  if (!/%(?![0-9a-fA-F]{2})/.test(text)) {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      // decodeURIComponent refuses escapes that are not UTF-8; Go keeps the raw bytes.
      return Buffer.from(text.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    }
  }
  return undefined;
}

/** Go's `url.Values.Encode`: keys sorted byte-wise, values in insertion order. */
export function goEncodeQuery(values: Map<string, string[]>): string {
  const keys = [...values.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts: string[] = [];
  for (const key of keys) {
    const k = goQueryEscape(key);
    for (const v of values.get(key)!) parts.push(`${k}=${goQueryEscape(v)}`);
  }
  return parts.join('&');
}

/** Go's `textproto.CanonicalMIMEHeaderKey` for token names (others are returned unchanged, as Go does). */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  let out = '';
  let upper = true;
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}
