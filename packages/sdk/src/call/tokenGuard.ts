import { AllowedHostsValidator, type RequestOption } from "@microsoft/kiota-abstractions";
import { getRequestHeader, setRequestHeader, type FetchRequestInit, type Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { hostOf } from "../clouds.js";
import { HeaderNames } from "../constants.js";
import { GraphSyncError } from "../errors/graphSyncError.js";
import type { CallCredential } from "./callCredential.js";
import { callStateOf } from "./callState.js";

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
    if (!this.validator.isUrlHostValid(url)) this.refuse(url, `${hostOf(url) ?? url} is not among the hosts allowed to receive the token (${[...this.allowedHosts].join(", ")})`, state?.call.clientRequestId);
    if (getRequestHeader(init, HeaderNames.authorization) === undefined) {
      const { token } = await this.credential.getToken([this.scope], state);
      setRequestHeader(init, HeaderNames.authorization, `Bearer ${token}`);
    }
    if (!BEARER.test(getRequestHeader(init, HeaderNames.authorization) ?? "")) this.refuse(url, "the credential returned no token", state?.call.clientRequestId);
    return (this.next as Middleware).execute(url, requestInit, requestOptions);
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
