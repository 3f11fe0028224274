// The call's token: the caller's credential as a call uses it (CallCredential), and the middleware
// that puts the token on the request, only for Graph's own hosts (TokenGuardHandler).
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { AllowedHostsValidator, type RequestOption } from "@microsoft/kiota-abstractions";
import { getRequestHeader, setRequestHeader, type FetchRequestInit, type Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { hostOf } from "../clouds.js";
import { HeaderNames } from "../constants.js";
import { GraphSyncError, isGraphSyncError } from "../errors/graphSyncError.js";
import { registerSecret } from "../errors/redaction.js";
import { callStateOf, type CallState } from "./callState.js";

/**
 * The caller's credential as the token guard (TokenGuardHandler, below) uses it, with the call's state passed
 * in: it adds what a single call needs:
 *
 * - the call's abort signal (caller's abort + deadline), so a slow token endpoint cannot outlive
 *   the call, even with a credential that ignores `abortSignal`;
 * - one error type: failures become GraphSyncError with the AADSTS code and advice (failures/credentialFailures.ts);
 * - redaction: every token handed out is registered so it can never appear in output;
 * - one token request for calls that start together (see SharedTokenRequests).
 */
export class CallCredential {
  private readonly requests: SharedTokenRequests;

  constructor(inner: TokenCredential) {
    this.requests = new SharedTokenRequests(inner);
  }

  /** A token for `scopes`, within the call's limits when there is a call (`context`). */
  async getToken(scopes: string | string[], context: CallState | undefined, options: GetTokenOptions = {}): Promise<AccessToken> {
    const clock = context?.settings.clock;
    const startedAt = clock?.now() ?? 0;
    try {
      // In the call span's context, so a credential's own spans (Azure SDK tracing) nest under it.
      const token = await (context ? context.call.telemetry.runInCall(() => this.getTokenWithin(scopes, options, context)) : this.getTokenWithin(scopes, options, context));
      if (!token?.token) {
        throw new GraphSyncError(
          `The credential returned no access token for ${Array.isArray(scopes) ? scopes.join(" ") : scopes}. Check that it is configured for this tenant and cloud.`,
          { kind: "authentication", code: "NoAccessToken", clientRequestId: context?.call.clientRequestId },
        );
      }
      registerSecret(token.token);
      if (context && clock) context.call.telemetry.tokenAcquired(clock.now() - startedAt);
      return token;
    } catch (error) {
      // Loaded when a token request fails, not by every call (the SDK's files per call).
      const failure = isGraphSyncError(error) ? error : (await import("../failures/credentialFailures.js")).tokenFailureToError(error, context, scopes);
      if (context && clock) context.call.telemetry.tokenFailed(clock.now() - startedAt, failure.kind);
      throw failure;
    }
  }

  /**
   * The inner credential's answer, but no later than the call's abort or deadline. Should a signal
   * come in `options`, the credential gets it together with the call's.
   */
  private getTokenWithin(scopes: string | string[], options: GetTokenOptions, context: CallState | undefined): Promise<AccessToken | null> {
    const { abortSignal, ...tokenOptions } = options;
    // Typed as core-auth's AbortSignalLike; whoever passes one passes an AbortSignal.
    const requestSignal = abortSignal as AbortSignal | undefined;
    if (!context) return this.requests.join(scopes, tokenOptions, requestSignal);
    const signal = requestSignal ? AbortSignal.any([requestSignal, context.signal]) : context.signal;
    return context.race(this.requests.join(scopes, tokenOptions, signal));
  }
}

/**
 * Token requests in flight, shared by every call that needs the same token meanwhile.
 *
 * MSAL (and so every `@azure/identity` credential) caches tokens once they arrive but does not
 * share a request still under way: 32 calls started together each ask Entra ID for a token. Here
 * they share one. The shared request carries a signal of its own that aborts only when every call
 * waiting for it has given up, so one caller's abort or deadline never fails the others; each call
 * still stops waiting on its own signal (see CallCredential).
 */
class SharedTokenRequests {
  private readonly inFlight = new Map<string, SharedTokenRequest>();

  constructor(private readonly credential: TokenCredential) {}

  /** The token for `scopes`, from a request already under way or a new one. */
  join(scopes: string | string[], options: GetTokenOptions, signal: AbortSignal | undefined): Promise<AccessToken | null> {
    const key = requestKey(scopes, options);
    let request = this.inFlight.get(key);
    if (!request || request.abandoned) {
      const started: SharedTokenRequest = new SharedTokenRequest(
        (abortSignal) => this.credential.getToken(scopes, { ...options, abortSignal }),
        () => {
          if (this.inFlight.get(key) === started) this.inFlight.delete(key);
        },
      );
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
  /** The waiters' signals and their abort listeners, removed once the request is over. */
  private listeners: Array<[AbortSignal, () => void]> | undefined;
  private settled = false;

  /**
   * `onSettled` runs once the request has an answer or failed. One callback of the request's
   * promise does all the cleaning up (the map entry, every waiter's listener): a chained promise
   * per waiter and per request would cost each call two more.
   */
  constructor(start: (signal: AbortSignal) => Promise<AccessToken | null>, onSettled: () => void) {
    this.promise = start(this.controller.signal);
    const settle = (): void => {
      this.settled = true;
      onSettled();
      // A later abort of a caller's signal concerns nothing shared any more.
      const listeners = this.listeners;
      this.listeners = undefined;
      if (listeners) for (const [signal, leave] of listeners) signal.removeEventListener("abort", leave);
    };
    this.promise.then(settle, settle);
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
      else if (!this.settled) {
        // Stop listening once the request is over (see the constructor).
        signal.addEventListener("abort", leave, { once: true });
        (this.listeners ??= []).push([signal, leave]);
      }
    }
    return this.promise;
  }
}

/** Requests can be shared only when they ask for the same token. */
function requestKey(scopes: string | string[], options: GetTokenOptions): string {
  // Every call asks for the client's one scope with no other option: its key is made once.
  const scope = typeof scopes === "string" ? scopes : scopes.length === 1 ? scopes[0] : undefined;
  if (scope !== undefined && options.claims === undefined && options.tenantId === undefined && options.enableCae === undefined) {
    let key = plainScopeKeys.get(scope);
    if (key === undefined) {
      key = JSON.stringify([[scope], null, null, false]);
      if (plainScopeKeys.size >= MAX_PLAIN_SCOPE_KEYS) plainScopeKeys.clear();
      plainScopeKeys.set(scope, key);
    }
    return key;
  }
  return JSON.stringify([[scopes].flat().sort(), options.claims ?? null, options.tenantId ?? null, options.enableCae ?? false]);
}

/** The keys of requests for one scope and nothing else, by scope (a client has one; a process a handful). */
const plainScopeKeys = new Map<string, string>();
const MAX_PLAIN_SCOPE_KEYS = 32;

/**
 * The token guard: puts the caller's access token on the request, only for a host allowed to
 * receive it, and refuses to send a request without one. Kiota's Azure auth provider attaches no
 * token, and raises no error, for a host outside its allowed hosts (Graph would then answer a
 * puzzling 401); here that is a clear configuration error before anything is sent, and before the
 * credential is even asked. The token is asked for once per call, within the call's limits (see
 * CallCredential), as Kiota's AuthorizationHandler would, but with the call's state from the request.
 */
export class TokenGuardHandler implements Middleware {
  /** The next link of the chain. */
  next: Middleware | undefined;
  private readonly validator: AllowedHostsValidator;
  /** Whether each authority seen (`scheme://host:port`) may receive the token: checked once each. */
  private readonly checkedAuthorities = new Map<string, boolean>();

  constructor(
    private readonly credential: CallCredential,
    /** The one scope tokens are requested for (`https://graph.microsoft.com/.default`). */
    private readonly scope: string,
    /** The hosts that may receive the token. */
    private readonly allowedHosts: ReadonlySet<string>,
  ) {
    this.validator = new AllowedHostsValidator(new Set(allowedHosts));
  }

  /** Adds the bearer token, then hands the request on; throws a GraphSyncError when there is none to add. */
  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const state = callStateOf(requestOptions);
    const init = requestInit as FetchRequestInit;
    if (!this.isAllowed(url)) this.refuse(url, `${hostOf(url) ?? url} is not among the hosts allowed to receive the token (${[...this.allowedHosts].join(", ")})`, state?.call.clientRequestId);
    if (getRequestHeader(init, HeaderNames.authorization) === undefined) {
      const { token } = await this.credential.getToken([this.scope], state);
      setRequestHeader(init, HeaderNames.authorization, `Bearer ${token}`);
    }
    if (!BEARER.test(getRequestHeader(init, HeaderNames.authorization) ?? "")) this.refuse(url, "the credential returned no token", state?.call.clientRequestId);
    return (this.next as Middleware).execute(url, requestInit, requestOptions);
  }

  /**
   * Kiota's AllowedHostsValidator.isUrlHostValid, which parses the whole URL, answered once per
   * authority: a URL's host lies in the text before the first "/" after "://", unless that text
   * holds what ends or reinterprets an authority early (`\\`, `?`, `#`, userinfo's `@`), which
   * goes to the full check every time. The authority is checked as Kiota checks a URL
   * (`<authority>/`), so the answer is the one the whole URL would get.
   */
  private isAllowed(url: string): boolean {
    const schemeEnd = url.indexOf("://");
    const authorityEnd = schemeEnd < 0 ? -1 : url.indexOf("/", schemeEnd + 3);
    if (authorityEnd < 0) return this.validator.isUrlHostValid(url);
    const authority = url.slice(0, authorityEnd);
    if (UNUSUAL_AUTHORITY.test(authority)) return this.validator.isUrlHostValid(url);
    let allowed = this.checkedAuthorities.get(authority);
    if (allowed === undefined) {
      allowed = this.validator.isUrlHostValid(`${authority}/`);
      if (this.checkedAuthorities.size >= MAX_CHECKED_AUTHORITIES) this.checkedAuthorities.clear();
      this.checkedAuthorities.set(authority, allowed);
    }
    return allowed;
  }

  private refuse(url: string, problem: string, clientRequestId: string | undefined): never {
    throw new GraphSyncError(
      `Refusing to send the request to ${hostOf(url) ?? url} without an access token: ${problem}. ` +
        "The allowed host comes from the cloud, or from baseUrl when it is set: point baseUrl at the Graph endpoint (or proxy) you mean to call.",
      { kind: "configuration", code: "NoAccessToken", clientRequestId },
    );
  }
}

const BEARER = /^Bearer\s+\S/i;

/** Characters that end an authority before its first "/" or add userinfo: such URLs are checked in full. */
const UNUSUAL_AUTHORITY = /[\\?#@]/;

/** A client sends to one Graph host; a handful of authorities is plenty, and the map stays bounded. */
const MAX_CHECKED_AUTHORITIES = 16;
