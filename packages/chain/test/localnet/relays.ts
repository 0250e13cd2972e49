/**
 * Real relays, tries and proofs for the end-to-end claim/proof tests, with every chain fact read over
 * sockets: the session (GetSession), the app's ring (Application + Account), cupr and difficulty at the
 * session start, shared params for the windows, and block hashes from the RPC's `/block`.
 */
import {
  MsgCreateClaim,
  MsgSubmitProof,
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  RingSigner,
  addressFromPrivateKey,
  fromHex,
  isRelayMinable,
  minedRelayBytes,
  proofPath,
  relayHash,
  relayRequestSignableHash,
  ringAddressesForSession,
  sessionLifecycleHeights,
  signRelayResponse,
  type RelayRequest,
  type RelayResponse,
  type SessionHeader,
  type SessionLifecycleHeights,
} from '@relayminer/protocol';
import { SparseMerkleSumTrie, compactClosestProof, marshalSparseCompactMerkleClosestProof } from '@relayminer/smst';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import {
  claimMessage,
  proofMessage,
  type ChainClient,
  type PocketTxMessage,
  type SubmitOptions,
  type SupplierTxClient,
  type TxBatchResult,
} from '../../src/index.js';
import { GATEWAY_KEY, SERVICE, SUPPLIER, SUPPLIER_KEY, genesis } from './fixture.js';

/** A supplier staked only for another service: never in a `svc1` session. */
export const OTHER_SUPPLIER_KEY = new Uint8Array(32).fill(0x66);
export const OTHER_SUPPLIER = addressFromPrivateKey(OTHER_SUPPLIER_KEY);
export const OTHER_SERVICE = 'svc2';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The fixture's genesis with every claim requiring a proof, plus a supplier staked for another service. */
export function proofGenesis(): object {
  const g = genesis() as Record<string, any>;
  return {
    ...g,
    params: { ...g.params, proof: { ...g.params.proof, proof_request_probability: 1 } },
    accounts: [...g.accounts, { name: 'other-supplier', private_key: hex(OTHER_SUPPLIER_KEY), balance: '1000000000upokt' }],
    services: [...g.services, { id: OTHER_SERVICE, name: 'Service Two', compute_units_per_relay: 1, owner: 'app' }],
    suppliers: [
      ...g.suppliers,
      {
        operator: 'other-supplier',
        stake: '1000000upokt',
        services: [{ service_id: OTHER_SERVICE, endpoints: [{ url: 'http://127.0.0.1:2', rpc_type: 'JSON_RPC' }] }],
      },
    ],
  };
}

export type Proofnet = LocalnetHandle;

export function startProofnet(): Promise<Proofnet> {
  return startLocalnet({ genesis: proofGenesis(), port: 0, blockTimeMs: 0 });
}

/** Produces a block every `everyMs` until `work` settles (the chain is on-demand in these tests). */
export async function drive<T>(net: LocalnetHandle, work: Promise<T>, everyMs = 40, maxBlocks = 40): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  for (let i = 0; i < maxBlocks && !settled; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    if (!settled) await net.advance(1);
  }
  return done;
}

/**
 * Submits one tx and produces blocks only once it sits in the mempool (or the submit already settled,
 * e.g. Simulate or CheckTx said no), so the tx lands in the block right after the current height.
 */
export async function send(net: LocalnetHandle, tx: SupplierTxClient, messages: PocketTxMessage[], options: SubmitOptions): Promise<TxBatchResult> {
  let sub: { unsubscribe(): void } | undefined;
  const broadcast = new Promise<void>((resolve) => {
    sub = tx.events$.subscribe((e) => e.kind === 'broadcast' && resolve());
  });
  const work = tx.submit(messages, options);
  try {
    await Promise.race([broadcast, work.then(() => undefined, () => undefined)]);
  } finally {
    sub?.unsubscribe();
  }
  return drive(net, work, 20);
}

/** The session's windows, from the shared params in effect at its end height (as the chain resolves them). */
export async function windowsOf(client: ChainClient, header: SessionHeader): Promise<SessionLifecycleHeights> {
  const params = await client.query.sharedParamsAtHeight(header.sessionEndBlockHeight);
  return sessionLifecycleHeights(params, header.sessionEndBlockHeight);
}

/** `block_id.hash` of a committed height, read from `/block?height=`. */
export async function blockHashAt(client: ChainClient, height: bigint): Promise<Uint8Array> {
  const block = await client.query.rpc.block(Number(height));
  return block.blockId.hash;
}

/** The path the chain will ask to open: sha256(hash of the proof seed block ‖ session id). */
export async function chainProofPath(client: ChainClient, header: SessionHeader, seedHeight?: bigint): Promise<Uint8Array> {
  const seed = seedHeight ?? (await windowsOf(client, header)).proofRequirementSeedBlockHeight;
  return proofPath(await blockHashAt(client, seed), header.sessionId);
}

/** The app's ring for the session (sorted like the chain's), as 33-byte public keys from the auth accounts. */
export async function ringOf(client: ChainClient, header: SessionHeader): Promise<Uint8Array[]> {
  const app = await client.query.application(header.applicationAddress);
  const addresses = ringAddressesForSession(app, header.sessionEndBlockHeight);
  return Promise.all(
    addresses.map(async (address) => {
      if (address === RING_PLACEHOLDER_ADDRESS) return fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX);
      const account = await client.query.account(address);
      if (!account?.pubKey) throw new Error(`ring member ${address} has no public key on chain`);
      return account.pubKey;
    }),
  );
}

export interface MineOptions {
  /** Key that ring-signs the requests (default: the gateway, a member of the app's ring). */
  ringSignerKey?: Uint8Array;
  /** Ring to sign over (default: the app's ring read from the chain). */
  ring?: Uint8Array[];
  /** Changes a signed request before it is mined (e.g. flips a byte of its ring signature). */
  tamperRequest?: (request: RelayRequest) => RelayRequest;
  /** Changes a signed response before it is mined (e.g. flips a byte of the supplier signature). */
  tamperResponse?: (response: RelayResponse) => RelayResponse;
  /** Which relay hashes go into the trie (default: those below the difficulty target at the session start). */
  accept?: (hash: Uint8Array) => boolean;
  /** Give up after this many candidates. */
  maxAttempts?: number;
}

export interface MinedSession {
  header: SessionHeader;
  cupr: bigint;
  target: Uint8Array;
  trie: SparseMerkleSumTrie;
  root: Uint8Array;
  relays: Uint8Array[];
}

/**
 * Serves `count` relays for the session the way a gateway and a relay miner would: the request is
 * ring-signed over the app's ring, the response signed by the supplier, and only relays whose hash is
 * below the chain's difficulty target at the session start are kept, each weighted by the chain's
 * compute units per relay at that height.
 */
export async function mineSession(client: ChainClient, header: SessionHeader, count: number, opts: MineOptions = {}): Promise<MinedSession> {
  const start = header.sessionStartBlockHeight;
  const cupr = await client.query.computeUnitsPerRelayAtHeight(header.serviceId, start);
  const target = (await client.query.relayMiningDifficultyAtHeight(header.serviceId, start)).targetHash;
  const ring = opts.ring ?? (await ringOf(client, header));
  const accept = opts.accept ?? ((h: Uint8Array) => isRelayMinable(h, target));
  const signer = new RingSigner(opts.ringSignerKey ?? GATEWAY_KEY);
  const trie = new SparseMerkleSumTrie();
  const relays: Uint8Array[] = [];
  const maxAttempts = opts.maxAttempts ?? 5000;
  for (let i = 0; relays.length < count; i++) {
    if (i >= maxAttempts) throw new Error(`only ${relays.length} of ${count} relays met the acceptance rule in ${maxAttempts} attempts`);
    const payload = new TextEncoder().encode(`{"jsonrpc":"2.0","id":${i},"method":"eth_blockNumber"}`);
    const unsigned: RelayRequest = { meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: SUPPLIER }, payload };
    let request: RelayRequest = { ...unsigned, meta: { ...unsigned.meta!, signature: signer.sign(relayRequestSignableHash(unsigned), ring) } };
    let response = signRelayResponse(
      {
        meta: { sessionHeader: header, supplierOperatorSignature: new Uint8Array(0) },
        payload: new TextEncoder().encode(`{"jsonrpc":"2.0","id":${i},"result":"0x${i.toString(16)}"}`),
        relayMinerError: undefined,
      },
      SUPPLIER_KEY,
    );
    if (opts.tamperRequest) request = opts.tamperRequest(request);
    if (opts.tamperResponse) response = opts.tamperResponse(response);
    const bytes = minedRelayBytes(request, response);
    const hash = relayHash(bytes);
    if (!accept(hash)) continue;
    trie.update(hash, bytes, cupr);
    relays.push(bytes);
  }
  return { header, cupr, target, trie, root: await trie.commit(), relays };
}

/** A copy of `bytes` with one byte XOR-ed. */
export function flipByte(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index] = out[index]! ^ mask;
  return out;
}

/** The gob-encoded compact closest proof for `path`. */
export function closestProof(trie: SparseMerkleSumTrie, path: Uint8Array): Uint8Array {
  return marshalSparseCompactMerkleClosestProof(compactClosestProof(trie.proveClosest(path)));
}

export function claimOf(header: SessionHeader, rootHash: Uint8Array, supplier = SUPPLIER): PocketTxMessage {
  return claimMessage(MsgCreateClaim.fromPartial({ supplierOperatorAddress: supplier, sessionHeader: header, rootHash }));
}

export function proofOf(header: SessionHeader, proof: Uint8Array, supplier = SUPPLIER): PocketTxMessage {
  return proofMessage(MsgSubmitProof.fromPartial({ supplierOperatorAddress: supplier, sessionHeader: header, proof }));
}

/** A 48-byte root with the given sum and count trailer (8-byte BE each) over a fixed digest. */
export function rootWith(sum: bigint, count: bigint, digestByte = 0xab): Uint8Array {
  const root = new Uint8Array(48);
  root.fill(digestByte, 0, 32);
  const view = new DataView(root.buffer);
  view.setBigUint64(32, sum);
  view.setBigUint64(40, count);
  return root;
}

export { SERVICE };
