import type { Clock } from "../clock.js";
import { announcedWaitInMs } from "./retryAfterHeader.js";
import type { ThrottlingConfig } from "./throttlingConfig.js";

export type ThrottlingDecision = { allowed: true } | { allowed: false; waitInMs: number };

/** A wait announced to one client (one `client-request-id`), enforced until it is over. */
interface Penalty {
  until: number;
  waitInMs: number;
}

interface Window {
  startedAt: number;
  used: number;
  /** Announced waits by client-request-id; pruned when the window rolls over. */
  penalties: Map<string, Penalty>;
}

/**
 * Counts resource units per app+tenant pair in fixed windows and decides when to throttle.
 *
 * Over the limit, a request gets 429 with the time left in the window. Throttled requests count
 * against the limit too, as Graph documents ("immediate retries count against your limit").
 *
 * The announced wait is enforced per client, like Dev Proxy's RetryAfterPlugin: a retry that
 * carries the same `client-request-id` (as Graph's SDKs and ours send on every attempt) and comes
 * back before its wait is over is throttled again, and its wait starts over. The penalty belongs to
 * that client alone: other callers of the same app keep the window's remaining budget, so many
 * well-behaved clients sharing one app are not locked out by one another's timing. A request
 * without a `client-request-id` cannot be told apart from a new one; it is throttled for as long as
 * the window's units are spent.
 */
export class ResourceUnitLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly config: () => ThrottlingConfig,
    private readonly clock: Clock,
  ) {}

  charge(pair: string, clientRequestId?: string, units = 1): ThrottlingDecision {
    const config = this.config();
    if (!config.enabled) return { allowed: true };
    const now = this.clock();
    const windowInMs = config.windowSeconds * 1000;
    let window = this.windows.get(pair);
    if (!window) {
      window = { startedAt: now, used: 0, penalties: new Map() };
      this.windows.set(pair, window);
    }
    if (now - window.startedAt >= windowInMs) {
      window.startedAt = now;
      window.used = 0;
      for (const [client, penalty] of window.penalties) if (penalty.until <= now) window.penalties.delete(client);
    }
    window.used += units;

    const penalty = clientRequestId === undefined ? undefined : window.penalties.get(clientRequestId);
    if (penalty && now < penalty.until) {
      penalty.until = now + penalty.waitInMs;
      return { allowed: false, waitInMs: penalty.waitInMs };
    }
    if (window.used <= config.limit) {
      if (clientRequestId !== undefined) window.penalties.delete(clientRequestId);
      return { allowed: true };
    }
    const waitInMs = announcedWaitInMs(window.startedAt + windowInMs - now, config.retryAfterFormat, now);
    if (clientRequestId !== undefined) window.penalties.set(clientRequestId, { until: now + waitInMs, waitInMs });
    return { allowed: false, waitInMs };
  }

  /** Forgets all counts and penalties (on reset or a new setting). */
  clear(): void {
    this.windows.clear();
  }
}
