/** The relay client's own view of the chain: a ChainClient on the node's RPC, whatever its chain id. */
import { ChainClient } from '@relayminer/chain';

/** The node's chain id, from CometBFT's `/status` (so a user only has to name the node). */
export async function chainIdOf(rpcUrl: string): Promise<string> {
  const url = new URL('status', rpcUrl.endsWith('/') ? rpcUrl : `${rpcUrl}/`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`node status: HTTP ${res.status}`);
  const json = (await res.json()) as { result?: { node_info?: { network?: string } } };
  const network = json.result?.node_info?.network;
  if (!network) throw new Error('node status carries no node_info.network');
  return network;
}

export async function connectGatewayChain(rpcUrl: string, chainId?: string): Promise<ChainClient> {
  return ChainClient.connect({
    chain_id: chainId ?? (await chainIdOf(rpcUrl)),
    query_node_rpc_url: rpcUrl,
    tx_node_rpc_url: rpcUrl,
    // a gateway waits for nobody: fail a lookup fast and count it rather than stall the load
    query_timeout_ms: 3000,
    query_max_attempts: 3,
    query_backoff_initial_ms: 50,
    query_backoff_max_ms: 500,
    ws_reconnect_initial_ms: 100,
    ws_reconnect_max_ms: 2000,
  });
}
