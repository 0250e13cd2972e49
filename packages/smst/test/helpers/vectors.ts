import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared golden vectors, read where CI has them: ../shared/vectors beside the checkout. */
export const VECTORS = resolve(__dirname, '../../../../../shared/vectors');

export const loadVectors = <T = any>(rel: string): T => JSON.parse(readFileSync(resolve(VECTORS, rel), 'utf8')) as T;
export const bytes = (h: string | null): Uint8Array => new Uint8Array(Buffer.from(h ?? '', 'hex'));
export const hex = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('hex'));
