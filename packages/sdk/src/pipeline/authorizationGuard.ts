import { AllowedHostsValidator } from "@microsoft/kiota-abstractions";
import { HeaderNames } from "../constants.js";
import { GraphSyncError } from "../errors/graphSyncError.js";
import type { CallContext } from "./callContext.js";

const BEARER = /^Bearer\s+\S/i;

/**
 * Kiota's Azure auth provider attaches no token, and raises no error, when the request's host is
 * not in its allowed hosts; Graph would then answer a puzzling 401. This guard makes that case a
 * clear configuration error before anything is sent.
 */
export class AuthorizationGuard {
  constructor(private readonly allowedHosts: ReadonlySet<string>) {}

  /** Throws unless `requestInit` carries a bearer token. */
  check(url: string, requestInit: RequestInit, context: CallContext | undefined): void {
    if (hasBearerToken(requestInit.headers)) return;
    const host = safeHost(url);
    const hostProblem = new AllowedHostsValidator(new Set(this.allowedHosts)).isUrlHostValid(url)
      ? "the credential returned no token"
      : `${host} is not among the hosts allowed to receive the token (${[...this.allowedHosts].join(", ")})`;
    throw new GraphSyncError(
      `Refusing to send the request to ${host} without an access token: ${hostProblem}. ` +
        "The allowed host comes from the cloud, or from baseUrl when it is set: point baseUrl at the Graph endpoint (or proxy) you mean to call.",
      { kind: "configuration", code: "NoAccessToken", clientRequestId: context?.clientRequestId },
    );
  }
}

/**
 * Whether the headers hold `Authorization: Bearer …`. Kiota's adapter passes a plain object with
 * lower-case names, read directly; any other shape goes through `Headers`.
 */
function hasBearerToken(headers: RequestInit["headers"]): boolean {
  if (headers === undefined || headers === null) return false;
  let value: string | null | undefined;
  if (headers instanceof Headers || Array.isArray(headers)) {
    value = new Headers(headers).get(HeaderNames.authorization);
  } else {
    const record = headers as Record<string, string | undefined>;
    value = record[HeaderNames.authorization];
    if (value === undefined) {
      for (const name of Object.keys(record)) {
        if (name.toLowerCase() === HeaderNames.authorization) {
          value = record[name];
          break;
        }
      }
    }
  }
  return typeof value === "string" && BEARER.test(value);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
