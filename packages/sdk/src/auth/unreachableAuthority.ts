import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { request } from "node:https";

/** How long the diagnosis may add to a failure that already happened. */
const PROBE_TIMEOUT_IN_MS = 5_000;

/**
 * An authority host that could not be reached, with the reason as `cause` (a TLS error such as
 * `SELF_SIGNED_CERT_IN_CHAIN`, or a network one such as `ECONNREFUSED`).
 */
export class UnreachableAuthorityError extends Error {
  /** Names the class in a GraphSyncError's cause chain, where only names and messages are kept. */
  override readonly name = "UnreachableAuthorityError";

  constructor(
    readonly authorityHost: string,
    cause: Error,
  ) {
    super(`Could not read the OpenID configuration of ${authorityHost}: ${cause.message.replace(/\.$/, "")}.`, { cause });
  }
}

/**
 * MSAL reports an authority it cannot reach, or whose certificate it does not trust, only as
 * `endpoints_resolution_error` and drops the reason, so a missing CA trust for an emulator looked
 * like a configuration problem. When that happens, this asks the authority's OpenID configuration
 * once itself and, if that fails, throws the real reason instead. The credential stays the same
 * object (callers may check `instanceof ClientSecretCredential`); only its getToken is wrapped.
 */
export function explainUnreachableAuthority<T extends TokenCredential>(credential: T, authorityHost: string, tenantId: string): T {
  const getToken = credential.getToken.bind(credential);
  credential.getToken = async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> => {
    try {
      return await getToken(scopes, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes("endpoints_resolution_error")) throw error;
      const reason = await probe(new URL(`${authorityHost.replace(/\/+$/, "")}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`));
      throw reason === undefined ? error : new UnreachableAuthorityError(authorityHost, reason);
    }
  };
  return credential;
}

/** The error of one GET, or undefined when an HTTP answer (any status) came back. */
function probe(url: URL): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const probeRequest = request(url, { method: "GET", timeout: PROBE_TIMEOUT_IN_MS }, (response) => {
      response.resume();
      resolve(undefined);
    });
    probeRequest.on("timeout", () => probeRequest.destroy(Object.assign(new Error("no answer within 5 s"), { code: "ETIMEDOUT" })));
    probeRequest.on("error", resolve);
    probeRequest.end();
  });
}
