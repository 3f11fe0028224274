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
