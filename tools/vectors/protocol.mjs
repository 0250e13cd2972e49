// The protocol/ vector suites: one module per vector file under ./protocol/, each exporting
// `default async (json, check) => void` and calling check(label, ok, detail) per comparison.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const stems = ['addresses', 'claims_proofs', 'proof_requirement', 'relays', 'sessions', 'supplier_signing'];

export const protocolSuites = {};
for (const stem of stems) {
  const url = new URL(`./protocol/${stem}.mjs`, import.meta.url);
  if (existsSync(fileURLToPath(url))) protocolSuites[stem] = async (json, check) => (await import(url.href)).default(json, check);
}
