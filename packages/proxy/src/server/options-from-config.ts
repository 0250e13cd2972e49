/**
 * Maps the parsed relay miner config (src/config) onto RelayServerOptions; the chain-backed parts
 * (keys, authenticator, meter, heights) come from the caller because they outlive the servers.
 */
import type { BackendServiceConfig, RelayMinerConfig } from '../config/index.js';
import type { BackendOptions, RelayServerOptions, RpcTypeName, ServiceOptions } from './options.js';
import { rpcTypeName } from './rpc-type.js';

export type RelayServerRuntime = Pick<
  RelayServerOptions,
  'keyRing' | 'authenticator' | 'meter' | 'currentHeight' | 'rewardable' | 'onBackgroundError' | 'onRequestDone' | 'sessionResolver' | 'bridgeCheckIntervalMs'
>;

export function relayServerOptionsFromConfig(config: RelayMinerConfig, runtime: RelayServerRuntime): RelayServerOptions {
  const suppliers: ServiceOptions[] = config.suppliers.map((entry) => {
    const rpcTypeBackends: Partial<Record<RpcTypeName, BackendOptions>> = {};
    for (const [rpcType, backend] of entry.rpcTypeServiceConfigs) {
      const name = rpcTypeName(rpcType);
      if (name) rpcTypeBackends[name] = backendOptions(backend);
    }
    return {
      serviceId: entry.serviceId,
      // Keyed by listen address (not the URL's scheme), so http and ws entries of one port share a server.
      listenUrl: `http://${entry.listenAddress}`,
      backend: backendOptions(entry.serviceConfig),
      rpcTypeBackends,
      requestTimeoutMs: entry.requestTimeoutSeconds * 1000,
      maxBodyBytes: entry.maxBodySizeBytes,
    };
  });
  return {
    ...runtime,
    suppliers,
    eagerValidation: config.enableEagerRelayRequestValidation,
    overServicing: config.enableOverServicing,
    replyAfterPersist: config.replyAfterPersist,
    servedBuffer: { size: config.servedRelaysBufferSize, overflow: config.servedRelaysOverflow },
    ping: config.ping.enabled ? { enabled: true, addr: config.ping.addr } : undefined,
  };
}

function backendOptions(backend: BackendServiceConfig): BackendOptions {
  return {
    url: backend.backendUrl.href,
    basicAuth: backend.authentication,
    headers: Object.fromEntries(backend.headers),
    forwardPocketHeaders: backend.forwardPocketHeaders,
  };
}
