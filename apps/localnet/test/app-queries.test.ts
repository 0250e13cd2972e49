import { describe, expect, it } from 'vitest';
import { computeSessionId, pocket, RING_PLACEHOLDER_ADDRESS } from '@relayminer/protocol';
import { Chain, blockHashFor, decodeBaseAccount, encodeAccountRequest, keysOf, loadDemo } from './app-fixtures.js';
import { GenesisError, loadGenesis } from '../src/app/index.js';
import { DEMO_GENESIS_PATH, demoGenesisObject, testKey } from './app-fixtures.js';

function fresh() {
  const genesis = loadDemo();
  const chain = new Chain(genesis);
  return { genesis, chain, app: keysOf(genesis, 'app1'), gateway: keysOf(genesis, 'gateway1'), supplier: keysOf(genesis, 'supplier1') };
}

describe('queries', () => {
  it('serves GetSession with the session id from the stored block hash of the session start', () => {
    const { chain, app, supplier } = fresh();
    chain.advanceTo(6n);
    const s = chain.session(app.address, 'anvil');
    expect(s.header!.sessionStartBlockHeight).toBe(5n);
    expect(s.header!.sessionEndBlockHeight).toBe(8n);
    expect(s.sessionNumber).toBe(2n);
    const expected = computeSessionId({ blockHashAtSessionStart: blockHashFor(5n), serviceId: 'anvil', applicationAddress: app.address, sessionStartHeight: 5n });
    expect(s.sessionId).toBe(expected);
    expect(s.header!.sessionId).toBe(expected);
    expect(s.suppliers.map((x) => x.operatorAddress)).toEqual([supplier.address]);
    expect(s.suppliers[0]!.services.map((x) => x.serviceId)).toEqual(['anvil']);
    // an older session by height
    expect(chain.session(app.address, 'anvil', 2n).header!.sessionStartBlockHeight).toBe(1n);
  });

  it('answers GetSession above the latest height and for unknown apps with the hydration error', () => {
    const { chain, app } = fresh();
    chain.advanceTo(3n);
    const req = (h: bigint, addr = app.address) =>
      chain.app.query('/pocket.session.Query/GetSession', pocket.session.QueryGetSessionRequest.marshal({ applicationAddress: addr, serviceId: 'anvil', blockHeight: h }), 0n);
    const ahead = req(4n);
    expect(ahead.code).toBe(6);
    expect(ahead.log).toBe('rpc error: code = Internal desc = block height 4 is ahead of the last committed block height 3: error during session hydration: unknown request');
    expect(req(1n, RING_PLACEHOLDER_ADDRESS).code).toBe(6);
    expect(req(1n, 'not-an-address').code).toBe(18);
  });

  it('maps missing records to NotFound (code 38) and future heights to code 26', () => {
    const { chain, gateway } = fresh();
    chain.advanceTo(2n);
    const missing = chain.app.query('/cosmos.auth.v1beta1.Query/Account', encodeAccountRequest(RING_PLACEHOLDER_ADDRESS), 0n);
    expect(missing.code).toBe(38);
    expect(missing.log).toMatch(/rpc error: code = NotFound/);
    expect(missing.log).toMatch(/: key not found$/);
    const claim = chain.app.query('/pocket.proof.Query/Claim', pocket.proof.QueryGetClaimRequest.marshal({ sessionId: 'x', supplierOperatorAddress: gateway.address }), 0n);
    expect(claim.code).toBe(38);
    const app = chain.app.query('/pocket.application.Query/Application', pocket.application.QueryGetApplicationRequest.marshal({ address: gateway.address }), 0n);
    expect(app.code).toBe(38);
    const future = chain.app.query('/pocket.shared.Query/Params', new Uint8Array(0), 3n);
    expect(future.code).toBe(26);
    const unknown = chain.app.query('/pocket.nope.Query/Nope', new Uint8Array(0), 0n);
    expect(unknown.code).toBe(6);
    expect(unknown.log).toBe('unknown query path: unknown request');
  });

  it('serves accounts, application, supplier, service, difficulty and params with the protocol codecs', () => {
    const { chain, genesis, app, gateway, supplier } = fresh();
    chain.advanceTo(1n);
    const acct = decodeBaseAccount(chain.app.query('/cosmos.auth.v1beta1.Query/Account', encodeAccountRequest(app.address), 0n).value);
    expect(acct.address).toBe(app.address);
    expect(acct.accountNumber).toBe(0n);
    expect(acct.pubKey!.typeUrl).toBe('/cosmos.crypto.secp256k1.PubKey');

    const application = chain.query(
      '/pocket.application.Query/Application',
      pocket.application.QueryGetApplicationRequest.marshal({ address: app.address }),
      pocket.application.QueryGetApplicationResponse,
    ).application!;
    expect(application.delegateeGatewayAddresses).toEqual([gateway.address]);
    expect(application.serviceConfigs.map((c) => c.serviceId)).toEqual(['anvil']);

    const sup = chain.query('/pocket.supplier.Query/Supplier', pocket.supplier.QueryGetSupplierRequest.marshal({ operatorAddress: supplier.address, dehydrated: false }), pocket.supplier.QueryGetSupplierResponse).supplier!;
    expect(sup.services[0]!.endpoints[0]!.url).toBe('http://127.0.0.1:8545');
    expect(sup.serviceConfigHistory[0]!.activationHeight).toBe(1n);

    const svc = chain.query('/pocket.service.Query/Service', pocket.service.QueryGetServiceRequest.marshal({ id: 'anvil', dehydrated: false }), pocket.service.QueryGetServiceResponse).service!;
    expect(svc.computeUnitsPerRelay).toBe(100n);

    const diff = chain.query(
      '/pocket.service.Query/RelayMiningDifficultyAtHeight',
      pocket.service.QueryGetRelayMiningDifficultyAtHeightRequest.marshal({ serviceId: 'anvil', blockHeight: 1n }),
      pocket.service.QueryGetRelayMiningDifficultyAtHeightResponse,
    ).relayMiningDifficulty!;
    expect(Buffer.from(diff.targetHash).toString('hex')).toBe('ff'.repeat(32));
    // a service without a record falls back to the base difficulty
    const base = chain.query(
      '/pocket.service.Query/RelayMiningDifficultyAtHeight',
      pocket.service.QueryGetRelayMiningDifficultyAtHeightRequest.marshal({ serviceId: 'nosuch', blockHeight: 1n }),
      pocket.service.QueryGetRelayMiningDifficultyAtHeightResponse,
    ).relayMiningDifficulty!;
    expect(base.numRelaysEma).toBe(genesis.params.service.targetNumRelays);

    const shared = chain.query('/pocket.shared.Query/Params', new Uint8Array(0), pocket.shared.QueryParamsResponse).params!;
    expect(shared.numBlocksPerSession).toBe(4n);
    const proof = chain.query('/pocket.proof.Query/Params', new Uint8Array(0), pocket.proof.QueryParamsResponse).params!;
    expect(proof.proofRequestProbability).toBe(1);
    expect(proof.proofSubmissionFee).toEqual({ denom: 'upokt', amount: '1000000' });
    const session = chain.query('/pocket.session.Query/Params', new Uint8Array(0), pocket.session.QueryParamsResponse).params!;
    expect(session.numSuppliersPerSession).toBe(15n);
  });
});

describe('control', () => {
  it('records cupr and difficulty history from the next block on', () => {
    const { chain } = fresh();
    chain.advanceTo(2n);
    chain.app.control.setCupr('anvil', 7n);
    chain.app.control.setDifficulty('anvil', new Uint8Array(32).fill(0x7f), { atHeight: 5n });
    chain.block();
    const cupr = (h: bigint) =>
      chain.query(
        '/pocket.service.Query/ComputeUnitsPerRelayAtHeight',
        pocket.service.QueryComputeUnitsPerRelayAtHeightRequest.marshal({ serviceId: 'anvil', blockHeight: h }),
        pocket.service.QueryComputeUnitsPerRelayAtHeightResponse,
      ).computeUnitsPerRelay;
    expect(cupr(2n)).toBe(100n);
    expect(cupr(3n)).toBe(7n);
    const target = (h: bigint) =>
      chain.query(
        '/pocket.service.Query/RelayMiningDifficultyAtHeight',
        pocket.service.QueryGetRelayMiningDifficultyAtHeightRequest.marshal({ serviceId: 'anvil', blockHeight: h }),
        pocket.service.QueryGetRelayMiningDifficultyAtHeightResponse,
      ).relayMiningDifficulty!.targetHash[0];
    expect(target(4n)).toBe(0xff);
    expect(target(5n)).toBe(0x7f);
  });

  it('moves the grid anchor to the next session start when shared params change', () => {
    const { chain, app } = fresh();
    chain.advanceTo(2n);
    chain.app.control.setSharedParams({ numBlocksPerSession: 6n });
    chain.block();
    const p = chain.query('/pocket.shared.Query/ParamsAtHeight', pocket.shared.QueryParamsAtHeightRequest.marshal({ height: 5n }), pocket.shared.QueryParamsAtHeightResponse).params!;
    expect(p.numBlocksPerSession).toBe(6n);
    expect(p.sessionGridAnchorHeight).toBe(5n);
    expect(p.sessionNumberAtAnchor).toBe(2n);
    expect(chain.app.control.sharedParamsAt(4n).numBlocksPerSession).toBe(4n);
    chain.advanceTo(11n);
    const s = chain.session(app.address, 'anvil', 11n);
    expect([s.header!.sessionStartBlockHeight, s.header!.sessionEndBlockHeight, s.sessionNumber]).toEqual([11n, 16n, 3n]);
  });

  it('delegates, and undelegates into pending_undelegations at the current session end', () => {
    const { chain, app, gateway, supplier } = fresh();
    chain.advanceTo(1n);
    chain.app.control.delegate(app.address, supplier.address);
    chain.app.control.undelegate(app.address, gateway.address);
    chain.block();
    const a = chain.query('/pocket.application.Query/Application', pocket.application.QueryGetApplicationRequest.marshal({ address: app.address }), pocket.application.QueryGetApplicationResponse).application!;
    expect(a.delegateeGatewayAddresses).toEqual([supplier.address]);
    expect(a.pendingUndelegations.get(4n)?.gatewayAddresses).toEqual([gateway.address]);
  });

  it('funds new accounts with the next account number', () => {
    const { chain } = fresh();
    chain.app.control.fund(RING_PLACEHOLDER_ADDRESS, 5n);
    chain.block();
    const acct = decodeBaseAccount(chain.app.query('/cosmos.auth.v1beta1.Query/Account', encodeAccountRequest(RING_PLACEHOLDER_ADDRESS), 0n).value);
    expect(acct.accountNumber).toBe(3n);
    expect(acct.pubKey).toBeUndefined();
  });
});

describe('genesis', () => {
  it('loads the demo file and derives addresses from the documented test keys', () => {
    const g = loadGenesis(DEMO_GENESIS_PATH);
    expect(g.chainId).toBe('pocket-localnet');
    expect(g.accounts.map((a) => a.name)).toEqual(['app1', 'gateway1', 'supplier1']);
    expect(Buffer.from(g.accounts[0]!.privateKey!).toString('hex')).toBe(testKey('app1'));
    expect(g.accounts.every((a) => a.address.startsWith('pokt1'))).toBe(true);
    expect(g.applications[0]!.delegatees).toEqual([g.accounts[1]!.address]);
    expect(g.params.proof.proofRequestProbability).toBe(1);
  });

  it.each([
    ['chain_id', (g: any) => delete g.chain_id],
    ['params.shared.grace_period_end_offset_blocks', (g: any) => (g.params.shared.grace_period_end_offset_blocks = 4)],
    ['accounts[1].private_key', (g: any) => (g.accounts[1].private_key = 'zz')],
    ['applications[0].delegatees[0]', (g: any) => (g.applications[0].delegatees = ['nobody'])],
    ['suppliers[0].services[0].service_id', (g: any) => (g.suppliers[0].services[0].service_id = 'missing')],
    ['params.proof.proof_request_probability', (g: any) => (g.params.proof.proof_request_probability = 2)],
    ['min_gas_price', (g: any) => (g.min_gas_price = '1uatom')],
    ['params.sharde', (g: any) => (g.params.sharde = { num_blocks_per_session: 4 })],
    ['params.tokenomics', (g: any) => (g.params.tokenomics = 'yes')],
  ])('names the bad key %s', (key, tweak) => {
    const g = demoGenesisObject();
    tweak(g);
    let err: unknown;
    try {
      loadGenesis(g);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GenesisError);
    expect((err as GenesisError).key).toBe(key);
  });

  it('accepts a tokenomics params section (nothing in this chain version reads it)', () => {
    const g = demoGenesisObject();
    g.params.tokenomics = { global_inflation_per_claim: 0.1 };
    expect(loadGenesis(g).params.shared).toEqual(loadGenesis(demoGenesisObject()).params.shared);
  });

  it('never echoes a private key in an error', () => {
    const g = demoGenesisObject();
    const secret = testKey('app1').slice(0, 62); // one byte short
    g.accounts[0].private_key = secret;
    expect(() => loadGenesis(g)).toThrow(GenesisError);
    try {
      loadGenesis(g);
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  });
});
