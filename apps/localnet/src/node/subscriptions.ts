/**
 * Websocket event subscriptions, CometBFT style: the subscribe reply and every later event carry the id of
 * the subscribe request, and the result names the subscriber's query string verbatim.
 */
import type WebSocket from 'ws';
import type { BusEvent } from './chain.js';
import { internalError, QuerySyntaxError } from './errors.js';
import type { RpcId } from './jsonrpc.js';
import { matches, parseQuery, type EventQuery } from './query.js';

/**
 * CometBFT defaults to 5, but a miner needs one subscription per supplier key plus one for headers, and the
 * nodes it runs against are configured higher; 100 keeps tests from hitting an operator setting.
 */
const MAX_SUBSCRIPTIONS_PER_CLIENT = 100;

interface Subscription {
  id: RpcId;
  query: EventQuery;
}

export class WsClient {
  private readonly subs = new Map<string, Subscription>();

  constructor(readonly socket: WebSocket) {}

  subscribe(id: RpcId, querySource: string): void {
    if (this.subs.has(querySource)) throw internalError('already subscribed');
    if (this.subs.size >= MAX_SUBSCRIPTIONS_PER_CLIENT) throw internalError(`max_subscriptions_per_client ${MAX_SUBSCRIPTIONS_PER_CLIENT} reached`);
    let query: EventQuery;
    try {
      query = parseQuery(querySource);
    } catch (err) {
      if (err instanceof QuerySyntaxError) throw internalError(`failed to parse query: ${err.message}`);
      throw err;
    }
    this.subs.set(querySource, { id, query });
  }

  unsubscribe(querySource: string): void {
    if (!this.subs.delete(querySource)) throw internalError('subscription not found');
  }

  unsubscribeAll(): void {
    if (this.subs.size === 0) throw internalError('subscription not found');
    this.subs.clear();
  }

  has(querySource: string): boolean {
    return this.subs.has(querySource);
  }

  deliver(e: BusEvent): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    for (const [source, sub] of this.subs) {
      if (!matches(sub.query, e.events)) continue;
      this.send({
        jsonrpc: '2.0',
        id: sub.id,
        result: { query: source, data: { type: `tendermint/event/${e.kind}`, value: e.value }, events: e.events },
      });
    }
  }

  /** What CometBFT sends when it drops a subscriber that cannot keep up. Returns whether one was cancelled. */
  cancel(querySource: string): boolean {
    const sub = this.subs.get(querySource);
    if (!sub) return false;
    this.subs.delete(querySource);
    this.send({
      jsonrpc: '2.0',
      id: sub.id,
      error: { code: -32000, message: 'Server error', data: 'subscription was canceled (reason: client is not pulling messages fast enough)' },
    });
    return true;
  }

  send(msg: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(msg));
  }
}
