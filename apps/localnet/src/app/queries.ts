/**
 * The abci_query router (chain.md §1.1, §6.5): gRPC method path + protobuf request → protobuf
 * response, with errors mapped the way baseapp maps gRPC statuses (§1.4).
 */
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { pocket } from '@relayminer/protocol';
import type { AbciQueryResult } from '../abci.js';
import { DENOM } from './coins.js';
import { GrpcStatusError, type GrpcCode } from './errors.js';
import type { DecPrice } from './coins.js';
import { CLAIM_STATUS_INT } from './proof-module.js';
import { runTx } from './run-tx.js';
import { HydrationError, hydrateSession, isValidPoktAddress, isValidServiceId } from './session.js';
import { claimKey, cloneState, cuprAt, difficultyAt, latestSharedParams, sharedParamsAt, valueAt, type AppState, type ClaimRecord } from './state.js';

export interface QueryContext {
  /** Committed state (queries) and the check state (Simulate reads it, §4.7). */
  committed: AppState;
  check: AppState;
  chainId: string;
  minGasPrice: DecPrice;
}

type Handler = (data: Uint8Array, ctx: QueryContext) => Uint8Array;

const SDK_CODES: Record<GrpcCode, { code: number; text: string }> = {
  NotFound: { code: 38, text: 'key not found' },
  InvalidArgument: { code: 18, text: 'invalid request' },
  FailedPrecondition: { code: 18, text: 'invalid request' },
  Unauthenticated: { code: 4, text: 'unauthorized' },
  Internal: { code: 6, text: 'unknown request' },
  Unknown: { code: 6, text: 'unknown request' },
};

function invalid(desc: string): GrpcStatusError {
  return new GrpcStatusError('InvalidArgument', desc);
}

function notFound(desc: string): GrpcStatusError {
  return new GrpcStatusError('NotFound', desc);
}

function decodeRequest<T>(codec: { unmarshal(b: Uint8Array): T }, data: Uint8Array): T {
  try {
    return codec.unmarshal(data);
  } catch (e) {
    throw invalid(`failed to decode the request: ${(e as Error).message}`);
  }
}

function decodeCosmos<T>(codec: { decode(b: Uint8Array): T }, data: Uint8Array): T {
  try {
    return codec.decode(data);
  } catch (e) {
    throw invalid(`failed to decode the request: ${(e as Error).message}`);
  }
}

function claimMessage(c: ClaimRecord): pocket.proof.Claim {
  return {
    supplierOperatorAddress: c.supplierOperatorAddress,
    sessionHeader: c.sessionHeader,
    rootHash: c.rootHash,
    proofValidationStatus: CLAIM_STATUS_INT[c.status] as pocket.proof.ClaimProofStatus,
  };
}

function proofParamsMessage(s: AppState): pocket.proof.Params {
  const coin = (amount: bigint) => ({ denom: DENOM, amount: amount.toString() });
  return {
    proofRequestProbability: s.proofParams.proofRequestProbability,
    proofRequirementThreshold: coin(s.proofParams.proofRequirementThreshold),
    proofMissingPenalty: coin(s.proofParams.proofMissingPenalty),
    proofSubmissionFee: coin(s.proofParams.proofSubmissionFee),
  };
}

function serviceMessage(s: AppState, id: string): pocket.shared.Service {
  const svc = s.services.get(id);
  if (!svc) throw notFound(`service ID not found: ${JSON.stringify(id)}`);
  return { id: svc.id, name: svc.name, computeUnitsPerRelay: cuprAt(s, id, s.height + 1n)!, ownerAddress: svc.ownerAddress, metadata: undefined };
}

function simulate(data: Uint8Array, ctx: QueryContext): Uint8Array {
  const req = decodeCosmos(SimulateRequest, data);
  if (req.txBytes.length === 0) throw invalid('empty txBytes is not allowed');
  const run = runTx(cloneState(ctx.check), req.txBytes, {
    mode: 'simulate',
    chainId: ctx.chainId,
    height: ctx.committed.height + 1n,
    minGasPrice: ctx.minGasPrice,
  });
  const r = run.result;
  if (r.code !== 0) {
    throw new GrpcStatusError('Unknown', `${r.log} With gas wanted: '${r.gasWanted}' and gas used: '${r.gasUsed}' `, r.rejectReason);
  }
  return SimulateResponse.encode({
    gasInfo: { gasWanted: r.gasWanted, gasUsed: r.gasUsed },
    result: { data: r.data, log: '', events: r.events, msgResponses: TxMsgData.decode(r.data).msgResponses },
  }).finish();
}

const handlers: Record<string, Handler> = {
  '/pocket.shared.Query/Params': (_d, { committed }) =>
    pocket.shared.QueryParamsResponse.marshal({ params: latestSharedParams(committed) }),
  '/pocket.shared.Query/ParamsAtHeight': (d, { committed }) => {
    const { height } = decodeRequest(pocket.shared.QueryParamsAtHeightRequest, d);
    const params = height <= 0n ? latestSharedParams(committed) : sharedParamsAt(committed, height);
    return pocket.shared.QueryParamsAtHeightResponse.marshal({ params });
  },
  '/pocket.session.Query/Params': (_d, { committed }) =>
    pocket.session.QueryParamsResponse.marshal({ params: valueAt(committed.sessionParams, committed.height + 1n) }),
  '/pocket.session.Query/GetSession': (d, { committed }) => {
    const req = decodeRequest(pocket.session.QueryGetSessionRequest, d);
    if (!isValidPoktAddress(req.applicationAddress)) throw invalid(`invalid application address for session being retrieved ${JSON.stringify(req.applicationAddress)}`);
    if (!isValidServiceId(req.serviceId)) throw invalid(`invalid service ID for session being retrieved ${JSON.stringify(req.serviceId)}`);
    if (req.blockHeight < 0n) throw invalid(`invalid block height for session being retrieved ${req.blockHeight}`);
    const height = req.blockHeight === 0n ? committed.height : req.blockHeight;
    try {
      return pocket.session.QueryGetSessionResponse.marshal({ session: hydrateSession(committed, req.applicationAddress, req.serviceId, height).session });
    } catch (e) {
      if (e instanceof HydrationError) throw new GrpcStatusError('Internal', `${e.message}: error during session hydration`);
      throw e;
    }
  },
  '/pocket.application.Query/Application': (d, { committed }) => {
    const { address } = decodeRequest(pocket.application.QueryGetApplicationRequest, d);
    const app = committed.applications.get(address);
    if (!app) throw notFound(`application not found: address ${JSON.stringify(address)}`);
    return pocket.application.QueryGetApplicationResponse.marshal({ application: app });
  },
  '/pocket.supplier.Query/Supplier': (d, { committed }) => {
    const { operatorAddress, dehydrated } = decodeRequest(pocket.supplier.QueryGetSupplierRequest, d);
    const supplier = committed.suppliers.get(operatorAddress);
    if (!supplier) throw notFound(`supplier with operator address: ${JSON.stringify(operatorAddress)} not found`);
    return pocket.supplier.QueryGetSupplierResponse.marshal({ supplier: dehydrated ? { ...supplier, serviceConfigHistory: [] } : supplier });
  },
  '/pocket.service.Query/Params': (_d, { committed }) =>
    pocket.service.QueryParamsResponse.marshal({
      params: { addServiceFee: { denom: DENOM, amount: committed.serviceParams.addServiceFee.toString() }, targetNumRelays: committed.serviceParams.targetNumRelays },
    }),
  '/pocket.service.Query/Service': (d, { committed }) => {
    const { id } = decodeRequest(pocket.service.QueryGetServiceRequest, d);
    return pocket.service.QueryGetServiceResponse.marshal({ service: serviceMessage(committed, id) });
  },
  '/pocket.service.Query/ComputeUnitsPerRelayAtHeight': (d, { committed }) => {
    const { serviceId, blockHeight } = decodeRequest(pocket.service.QueryComputeUnitsPerRelayAtHeightRequest, d);
    const cupr = cuprAt(committed, serviceId, blockHeight);
    if (cupr === undefined) throw notFound(`service ID not found: ${JSON.stringify(serviceId)}`);
    return pocket.service.QueryComputeUnitsPerRelayAtHeightResponse.marshal({ computeUnitsPerRelay: cupr });
  },
  '/pocket.service.Query/RelayMiningDifficultyAtHeight': (d, { committed }) => {
    const { serviceId, blockHeight } = decodeRequest(pocket.service.QueryGetRelayMiningDifficultyAtHeightRequest, d);
    if (!isValidServiceId(serviceId)) throw invalid(`invalid service ID ${JSON.stringify(serviceId)}`);
    const { record, since } = difficultyAt(committed, serviceId, blockHeight);
    return pocket.service.QueryGetRelayMiningDifficultyAtHeightResponse.marshal({
      relayMiningDifficulty: { serviceId, blockHeight: since, numRelaysEma: record.numRelaysEma, targetHash: record.targetHash },
    });
  },
  '/pocket.proof.Query/Params': (_d, { committed }) => pocket.proof.QueryParamsResponse.marshal({ params: proofParamsMessage(committed) }),
  '/pocket.proof.Query/Claim': (d, { committed }) => {
    const { sessionId, supplierOperatorAddress } = decodeRequest(pocket.proof.QueryGetClaimRequest, d);
    const claim = committed.claims.get(claimKey(sessionId, supplierOperatorAddress));
    if (!claim) throw notFound(`claim not found for session ${sessionId} and supplier ${supplierOperatorAddress}`);
    return pocket.proof.QueryGetClaimResponse.marshal({ claim: claimMessage(claim) });
  },
  '/pocket.proof.Query/AllClaims': (d, { committed }) => {
    const req = decodeRequest(pocket.proof.QueryAllClaimsRequest, d);
    const claims = [...committed.claims.values()].filter(
      (c) =>
        (req.supplierOperatorAddress === undefined || c.supplierOperatorAddress === req.supplierOperatorAddress) &&
        (req.sessionId === undefined || c.sessionHeader.sessionId === req.sessionId) &&
        (req.sessionEndHeight === undefined || c.sessionHeader.sessionEndBlockHeight === req.sessionEndHeight),
    );
    return pocket.proof.QueryAllClaimsResponse.marshal({ claims: claims.map(claimMessage), pagination: { nextKey: new Uint8Array(0), total: BigInt(claims.length) } });
  },
  '/cosmos.auth.v1beta1.Query/Account': (d, { committed }) => {
    const { address } = decodeCosmos(QueryAccountRequest, d);
    if (!isValidPoktAddress(address)) throw invalid(`invalid address ${JSON.stringify(address)}`);
    const account = committed.accounts.get(address);
    if (!account) throw notFound(`account ${address} not found`);
    const base = BaseAccount.encode({
      address,
      pubKey: account.publicKey ? { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: account.publicKey }).finish() } : undefined,
      accountNumber: account.accountNumber,
      sequence: account.sequence,
    }).finish();
    return QueryAccountResponse.encode({ account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value: base } }).finish();
  },
  '/cosmos.bank.v1beta1.Query/Balance': (d, { committed }) => {
    const { address, denom } = decodeCosmos(QueryBalanceRequest, d);
    if (!isValidPoktAddress(address)) throw invalid(`invalid address ${JSON.stringify(address)}`);
    if (denom === '') throw invalid('invalid denom');
    const amount = denom === DENOM ? (committed.accounts.get(address)?.balance ?? 0n) : 0n;
    return QueryBalanceResponse.encode({ balance: { denom, amount: amount.toString() } }).finish();
  },
  '/cosmos.tx.v1beta1.Service/Simulate': simulate,
};

export const QUERY_PATHS: readonly string[] = Object.keys(handlers);

export function errorResult(code: number, codespace: string, log: string, height: bigint): AbciQueryResult {
  return { code, codespace, log, value: new Uint8Array(0), height };
}

export function routeQuery(path: string, data: Uint8Array, height: bigint, ctx: QueryContext): AbciQueryResult {
  const latest = ctx.committed.height;
  if (height > latest) return errorResult(26, 'sdk', 'cannot query with height in the future; please provide a valid height: invalid height', latest);
  const handler = handlers[path];
  if (!handler) return errorResult(6, 'sdk', 'unknown query path: unknown request', latest);
  try {
    return { code: 0, codespace: '', log: '', value: handler(data, ctx), height: latest };
  } catch (e) {
    if (e instanceof GrpcStatusError) {
      const sdk = SDK_CODES[e.grpcCode];
      return errorResult(sdk.code, 'sdk', `${e.message}: ${sdk.text}`, latest);
    }
    return errorResult(6, 'sdk', `rpc error: code = Internal desc = ${(e as Error).message}: unknown request`, latest);
  }
}
