import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { GraphSyncError, isGraphSyncError } from "../errors/graphSyncError.js";
import { registerSecret } from "../errors/redaction.js";
import { tokenFailureToError } from "../errors/tokenFailure.js";
import { callContextStorage, type CallContext } from "./callContext.js";
import { SharedTokenRequests } from "./sharedTokenRequests.js";
import { untilAborted } from "./untilAborted.js";

/**
 * Wraps the caller's credential for Kiota's auth provider, which calls `getToken` with options
 * fixed when the provider was built. Through the call context it adds what a single call needs:
 *
 * - the call's abort signal (caller's abort + deadline), so a slow token endpoint cannot outlive
 *   the call, even with a credential that ignores `abortSignal`;
 * - one error type: failures become GraphSyncError with the AADSTS code and advice;
 * - redaction: every token handed out is registered so it can never appear in output;
 * - one token request for calls that start together (see SharedTokenRequests).
 */
export class CallScopedCredential implements TokenCredential {
  private readonly requests: SharedTokenRequests;

  constructor(inner: TokenCredential) {
    this.requests = new SharedTokenRequests(inner);
  }

  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken | null> {
    const context = callContextStorage.getStore();
    const startedAt = context?.clock.now() ?? 0;
    try {
      // In the call span's context, so a credential's own spans (Azure SDK tracing) nest under it.
      const token = await (context ? context.telemetry.runInCall(() => this.getTokenWithin(scopes, options, context)) : this.getTokenWithin(scopes, options, context));
      if (!token?.token) {
        throw new GraphSyncError(
          `The credential returned no access token for ${Array.isArray(scopes) ? scopes.join(" ") : scopes}. Check that it is configured for this tenant and cloud.`,
          { kind: "authentication", code: "NoAccessToken", clientRequestId: context?.clientRequestId },
        );
      }
      registerSecret(token.token);
      context?.telemetry.tokenAcquired(context.clock.now() - startedAt);
      return token;
    } catch (error) {
      const failure = isGraphSyncError(error) ? error : tokenFailureToError(error, context, scopes);
      context?.telemetry.tokenFailed(context.clock.now() - startedAt, failure.kind);
      throw failure;
    }
  }

  /** The inner credential's answer, but no later than the call's abort or deadline. */
  private getTokenWithin(scopes: string | string[], options: GetTokenOptions, context: CallContext | undefined): Promise<AccessToken | null> {
    const { abortSignal: requestSignal, ...tokenOptions } = options;
    if (context && !requestSignal) {
      // The usual case: Kiota passes no signal, so the call's own is the only one to honour.
      return context.race(this.requests.join(scopes, tokenOptions, context.signal));
    }
    const signals = [requestSignal, context?.signal].filter((signal): signal is AbortSignal => signal !== undefined);
    const abortSignal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return untilAborted(this.requests.join(scopes, tokenOptions, abortSignal), abortSignal);
  }
}
