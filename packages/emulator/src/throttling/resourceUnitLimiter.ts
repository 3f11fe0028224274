import type { EmulatorClock } from "../clock.js";
import { announcedWaitInMs } from "./retryAfterHeader.js";
import type { ThrottlingConfig } from "./throttlingConfig.js";

/** Which limit a throttled request ran into, in Graph's `x-ms-throttle-information` words. */
export type ExceededLimit = "ResourceUnitLimitExceeded" | "WriteLimitExceeded";

/** The share of its limit the pair has used, of whichever limit is closest to being exceeded. */
export interface LimitUsage {
  usedShareOfLimit: number;
  /** `ReadWrite` (resource units) or `Write` (the write quota). */
  nearestLimit: "ReadWrite" | "Write";
}

export type ThrottlingDecision =
  | ({ allowed: true } & LimitUsage)
  | ({ allowed: false; waitInMs: number; exceeded: ExceededLimit } & LimitUsage);

/** What one request costs. Graph counts a POST to identity and access as 1 resource unit and 1 write. */
export interface RequestCost {
  resourceUnits: number;
  writes: number;
}

const postCost: RequestCost = { resourceUnits: 1, writes: 1 };

/** A wait announced to one client (one `client-request-id`), enforced until it is over. */
interface Penalty {
  until: number;
  waitInMs: number;
  exceeded: ExceededLimit;
}

/** One fixed window of one limit. */
interface Budget {
  startedAt: number;
  used: number;
}

interface PairState {
  resourceUnits: Budget;
  writes: Budget;
  /** Scope `request`: announced waits by client-request-id; pruned when the resource-unit window rolls over. */
  penalties: Map<string, Penalty>;
}

/**
 * Counts resource units and writes per app+tenant pair, each in its own fixed window, and decides
 * when to throttle.
 *
 * Over either limit, a request gets 429 with the time left in the window of the limit it exceeded
 * (the later one when both are). Throttled requests count against the limits too, as Graph
 * documents ("immediate retries count against your limit").
 *
 * How the announced wait is enforced depends on the scope (ThrottlingConfig.scope):
 *
 * - `app` (default, as Graph documents it: limits are counted and enforced per application per
 *   tenant): the window's count is the app's, so once it is spent every request of the pair is
 *   throttled until the window ends, whichever caller or process sends it, each told the time
 *   left (rounded up to what `Retry-After` can say). An early request moves nothing (Graph
 *   documents no such penalty) but counts against the limit; when the window ends, every caller
 *   has the new budget, even one whose rounded `Retry-After` is not over yet.
 * - `request` (a test-double convention, like Dev Proxy's RetryAfterPlugin): the wait belongs to
 *   the client that was told, by `client-request-id` (Graph's SDKs and ours send the same one on
 *   every attempt). A retry that comes back before its wait is over is throttled again, and its
 *   wait starts over; other callers of the same app keep the window's remaining budget. A request
 *   without a `client-request-id` cannot be told apart from a new one; it is throttled for as long
 *   as the window's units are spent.
 *
 * Every decision carries the share of the most used limit, for `x-ms-throttle-limit-percentage`.
 */
export class ResourceUnitLimiter {
  private readonly pairs = new Map<string, PairState>();

  constructor(
    private readonly config: () => ThrottlingConfig,
    private readonly clock: EmulatorClock,
  ) {}

  charge(pair: string, clientRequestId?: string, cost: RequestCost = postCost): ThrottlingDecision {
    const config = this.config();
    if (!config.enabled) return { allowed: true, usedShareOfLimit: 0, nearestLimit: "ReadWrite" };
    const now = this.clock();
    const windowInMs = config.windowSeconds * 1000;
    const writeWindowInMs = config.writeWindowSeconds * 1000;
    let state = this.pairs.get(pair);
    if (!state) {
      state = { resourceUnits: { startedAt: now, used: 0 }, writes: { startedAt: now, used: 0 }, penalties: new Map() };
      this.pairs.set(pair, state);
    }
    if (now - state.resourceUnits.startedAt >= windowInMs) {
      state.resourceUnits = { startedAt: now, used: 0 };
      for (const [client, penalty] of state.penalties) if (penalty.until <= now) state.penalties.delete(client);
    }
    if (now - state.writes.startedAt >= writeWindowInMs) state.writes = { startedAt: now, used: 0 };
    state.resourceUnits.used += cost.resourceUnits;
    state.writes.used += cost.writes;
    const resourceUnitShare = state.resourceUnits.used / config.limit;
    const writeShare = state.writes.used / config.writeLimit;
    const usage: LimitUsage =
      writeShare > resourceUnitShare
        ? { usedShareOfLimit: writeShare, nearestLimit: "Write" }
        : { usedShareOfLimit: resourceUnitShare, nearestLimit: "ReadWrite" };

    const penalty = config.scope === "request" && clientRequestId !== undefined ? state.penalties.get(clientRequestId) : undefined;
    if (penalty && now < penalty.until) {
      penalty.until = now + penalty.waitInMs;
      return { allowed: false, waitInMs: penalty.waitInMs, exceeded: penalty.exceeded, ...usage };
    }
    const overResourceUnits = state.resourceUnits.used > config.limit;
    const overWrites = state.writes.used > config.writeLimit;
    if (!overResourceUnits && !overWrites) {
      if (clientRequestId !== undefined) state.penalties.delete(clientRequestId);
      return { allowed: true, ...usage };
    }
    const resourceUnitWait = overResourceUnits ? state.resourceUnits.startedAt + windowInMs - now : 0;
    const writeWait = overWrites ? state.writes.startedAt + writeWindowInMs - now : 0;
    const exceeded: ExceededLimit = writeWait > resourceUnitWait ? "WriteLimitExceeded" : "ResourceUnitLimitExceeded";
    const waitInMs = announcedWaitInMs(Math.max(resourceUnitWait, writeWait), config.retryAfterFormat, now);
    if (config.scope === "request" && clientRequestId !== undefined) state.penalties.set(clientRequestId, { until: now + waitInMs, waitInMs, exceeded });
    return { allowed: false, waitInMs, exceeded, ...usage };
  }

  /** Forgets all counts and penalties (on reset or a new setting). */
  clear(): void {
    this.pairs.clear();
  }
}
