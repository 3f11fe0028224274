import { AllowedHostsValidator, type RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames } from "../constants.js";
import { GraphSyncError } from "../errors/graphSyncError.js";
import { getCallContext } from "./callContext.js";

/**
 * Kiota's Azure auth provider attaches no token, and raises no error, when the request's host is
 * not in its allowed hosts; Graph would then answer a puzzling 401. This middleware makes that
 * case a clear configuration error before anything is sent.
 */
export class AuthorizationGuardMiddleware implements Middleware {
  next: Middleware | undefined;
  private readonly validator: AllowedHostsValidator;

  constructor(private readonly allowedHosts: ReadonlySet<string>) {
    this.validator = new AllowedHostsValidator(new Set(allowedHosts));
  }

  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    if (!this.next) throw new Error("AuthorizationGuardMiddleware must not be the last middleware");
    if (!hasAuthorization(requestInit.headers)) {
      const host = safeHost(url);
      const context = getCallContext(requestOptions);
      const hostProblem = this.validator.isUrlHostValid(url)
        ? "the credential returned no token"
        : `${host} is not among the hosts allowed to receive the token (${[...this.allowedHosts].join(", ")})`;
      throw new GraphSyncError(
        `Refusing to send the request to ${host} without an access token: ${hostProblem}. ` +
          "The allowed host comes from the cloud, or from baseUrl when it is set: point baseUrl at the Graph endpoint (or proxy) you mean to call.",
        { kind: "configuration", code: "NoAccessToken", clientRequestId: context?.clientRequestId },
      );
    }
    return this.next.execute(url, requestInit, requestOptions);
  }
}

function hasAuthorization(headers: RequestInit["headers"]): boolean {
  const value = new Headers(headers ?? {}).get(HeaderNames.authorization);
  return value !== null && /^Bearer\s+\S/i.test(value);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
