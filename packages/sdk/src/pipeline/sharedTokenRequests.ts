import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

/**
 * Token requests in flight, shared by every call that needs the same token meanwhile.
 *
 * MSAL (and so every `@azure/identity` credential) caches tokens once they arrive but does not
 * share a request still under way: 32 calls started together each ask Entra ID for a token. Here
 * they share one. The shared request carries a signal of its own that aborts only when every call
 * waiting for it has given up, so one caller's abort or deadline never fails the others; each call
 * still stops waiting on its own signal (see CallScopedCredential).
 */
export class SharedTokenRequests {
  private readonly inFlight = new Map<string, SharedTokenRequest>();

  constructor(private readonly credential: TokenCredential) {}

  /** The token for `scopes`, from a request already under way or a new one. */
  join(scopes: string | string[], options: GetTokenOptions, signal: AbortSignal | undefined): Promise<AccessToken | null> {
    const key = requestKey(scopes, options);
    let request = this.inFlight.get(key);
    if (!request || request.abandoned) {
      const started = new SharedTokenRequest((abortSignal) => this.credential.getToken(scopes, { ...options, abortSignal }));
      started.settled.then(() => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      });
      this.inFlight.set(key, started);
      request = started;
    }
    return request.join(signal);
  }
}

class SharedTokenRequest {
  private readonly controller = new AbortController();
  private waiters = 0;
  readonly promise: Promise<AccessToken | null>;
  /** Resolves (never rejects) once the request has an answer or failed. */
  readonly settled: Promise<void>;

  constructor(start: (signal: AbortSignal) => Promise<AccessToken | null>) {
    this.promise = start(this.controller.signal);
    this.settled = this.promise.then(
      () => undefined,
      () => undefined,
    );
  }

  /** True once every waiter gave up and the request was aborted: later callers need a new one. */
  get abandoned(): boolean {
    return this.controller.signal.aborted;
  }

  join(signal: AbortSignal | undefined): Promise<AccessToken | null> {
    this.waiters += 1;
    if (signal) {
      const leave = (): void => {
        this.waiters -= 1;
        if (this.waiters === 0) this.controller.abort(signal.reason);
      };
      if (signal.aborted) leave();
      else signal.addEventListener("abort", leave, { once: true });
      // Stop listening once the request is over; a later abort of the caller's signal concerns
      // nothing shared any more.
      void this.settled.then(() => signal.removeEventListener("abort", leave));
    }
    return this.promise;
  }
}

/** Requests can be shared only when they ask for the same token. */
function requestKey(scopes: string | string[], options: GetTokenOptions): string {
  return JSON.stringify([[scopes].flat().sort(), options.claims ?? null, options.tenantId ?? null, options.enableCae ?? false]);
}
