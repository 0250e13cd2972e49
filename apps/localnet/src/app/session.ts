/**
 * Session hydration (chain.md §5.2): what GetSession answers and what claim/proof validation
 * compares against. Failures are `HydrationError`s; GetSession turns them into gRPC Internal.
 */
import {
  isValidBech32Address,
  pocket,
  selectSessionSuppliers,
  sessionEndHeight,
  sessionIdFromPreimage,
  sessionIdPreimage,
  sessionNumber,
  sessionStartHeight,
} from '@relayminer/protocol';
import { sharedParamsAt, valueAt, type AppState } from './state.js';

export class HydrationError extends Error {
  override readonly name = 'HydrationError';
}

const SERVICE_ID_RE = /^[a-zA-Z0-9_-]{1,42}$/;

export function isValidPoktAddress(address: string): boolean {
  return isValidBech32Address(address);
}

export function isValidServiceId(id: string): boolean {
  return SERVICE_ID_RE.test(id);
}

/** SessionHeader.ValidateBasic; returns the problem or undefined. */
export function sessionHeaderProblem(h: pocket.session.SessionHeader | undefined): string | undefined {
  if (!h) return 'session header is missing';
  if (!isValidPoktAddress(h.applicationAddress)) return `invalid application address: ${JSON.stringify(h.applicationAddress)}`;
  if (h.sessionId === '') return 'session id is empty';
  if (!isValidServiceId(h.serviceId)) return `invalid service id: ${JSON.stringify(h.serviceId)}`;
  if (h.sessionStartBlockHeight <= 0n) return `session start height ${h.sessionStartBlockHeight} must be positive`;
  if (h.sessionEndBlockHeight <= h.sessionStartBlockHeight)
    return `session end height ${h.sessionEndBlockHeight} must be above the start height ${h.sessionStartBlockHeight}`;
  return undefined;
}

export interface HydratedSession {
  session: pocket.session.Session;
  header: pocket.session.SessionHeader;
  supplierAddresses: string[];
}

function activeAt(activation: bigint, deactivation: bigint, h: bigint): boolean {
  return activation <= h && (deactivation === 0n || deactivation > h);
}

/**
 * Hydrates the session of (app, service) containing `height` against `state`, whose last committed
 * height bounds what may be asked.
 */
export function hydrateSession(state: AppState, appAddress: string, serviceId: string, height: bigint): HydratedSession {
  if (height > state.height) {
    throw new HydrationError(`block height ${height} is ahead of the last committed block height ${state.height}`);
  }
  const params = sharedParamsAt(state, height);
  const start = sessionStartHeight(params, height);
  const end = sessionEndHeight(params, height);
  const number = sessionNumber(params, height);
  const preimage = sessionIdPreimage({
    blockHashAtSessionStart: state.blockHashes.get(start) ?? new Uint8Array(0),
    serviceId,
    applicationAddress: appAddress,
    sessionStartHeight: start,
  });
  const sessionId = sessionIdFromPreimage(preimage);

  const app = state.applications.get(appAddress);
  if (!app) throw new HydrationError(`application ${appAddress} not found`);
  if (app.unstakeSessionEndHeight > 0n && end > app.unstakeSessionEndHeight)
    throw new HydrationError(`application ${appAddress} is not active at session end height ${end}`);
  if (app.pendingTransfer && end > app.pendingTransfer.sessionEndHeight)
    throw new HydrationError(`application ${appAddress} is being transferred before session end height ${end}`);
  const staked =
    app.serviceConfigHistory.length > 0
      ? app.serviceConfigHistory.some((u) => u.service?.serviceId === serviceId && activeAt(u.activationHeight, u.deactivationHeight, height))
      : app.serviceConfigs.some((c) => c.serviceId === serviceId);
  if (!staked) throw new HydrationError(`application ${appAddress} is not staked for service ${serviceId}`);

  const updates: pocket.shared.ServiceConfigUpdate[] = [];
  for (const supplier of state.suppliers.values()) {
    for (const u of supplier.serviceConfigHistory) {
      if (u.service?.serviceId === serviceId && activeAt(u.activationHeight, u.deactivationHeight, height)) updates.push(u);
    }
  }
  updates.sort((a, b) =>
    a.activationHeight !== b.activationHeight
      ? a.activationHeight < b.activationHeight
        ? -1
        : 1
      : a.operatorAddress < b.operatorAddress
        ? -1
        : a.operatorAddress > b.operatorAddress
          ? 1
          : 0,
  );
  if (updates.length === 0) throw new HydrationError(`no suppliers found for service ${serviceId} at height ${height}`);
  const k = valueAt(state.sessionParams, height).numSuppliersPerSession;
  const chosen = selectSessionSuppliers(preimage, updates, k);

  const header: pocket.session.SessionHeader = {
    applicationAddress: appAddress,
    serviceId,
    sessionId,
    sessionStartBlockHeight: start,
    sessionEndBlockHeight: end,
  };
  const suppliers: pocket.shared.Supplier[] = chosen.map((u) => {
    const s = state.suppliers.get(u.operatorAddress)!;
    return {
      ownerAddress: s.ownerAddress,
      operatorAddress: s.operatorAddress,
      stake: s.stake,
      services: u.service ? [u.service] : [],
      unstakeSessionEndHeight: s.unstakeSessionEndHeight,
      serviceConfigHistory: [],
    };
  });
  return {
    header,
    supplierAddresses: chosen.map((u) => u.operatorAddress),
    session: {
      header,
      sessionId,
      sessionNumber: number,
      numBlocksPerSession: params.numBlocksPerSession,
      application: app,
      suppliers,
    },
  };
}
