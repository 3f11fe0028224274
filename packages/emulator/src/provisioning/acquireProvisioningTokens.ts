import type { EmulatorClock } from "../clock.js";
import { isLoopbackHostname } from "../http/loopback.js";
import type { SynchronizationObjectRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import { exchangeAuthorizationCode, type CodeExchangeOutcome } from "./authorizationCodeExchange.js";

/** One credential of an `acquireAccessToken` request, after Graph's validation. */
export interface Credential {
  key: string;
  value: string | null;
}

/** A request the provisioning service cannot act on; Graph answers it with a 400 and this message. */
export class ProvisioningError extends Error {
  override readonly name = "ProvisioningError";
}

/** Keys the action reads; every other valid key is stored as given. */
const keys = {
  code: "Oauth2AuthorizationCode",
  clientId: "Oauth2ClientId",
  clientSecret: "Oauth2ClientSecret",
  redirectUri: "Oauth2RedirectUri",
  tokenExchangeUri: "Oauth2TokenExchangeUri",
  accessToken: "Oauth2AccessToken",
  refreshToken: "Oauth2RefreshToken",
  accessTokenCreationTime: "Oauth2AccessTokenCreationTime",
} as const;

export interface ProvisioningDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  /** Base URL of the emulated target, whose `/token` is the default exchange endpoint. */
  targetBaseUrl: () => string;
  codeExchangeTimeoutInMs: number;
}

/**
 * What `acquireAccessToken` does, in our model of the provisioning service: take the authorization
 * code and client details from the credentials (falling back to the object's registered target),
 * redeem the code at the target's token endpoint, and store the tokens it returns with the object's
 * synchronization secrets. Resolves once the change is durable.
 */
export async function acquireProvisioningTokens(
  object: SynchronizationObjectRecord,
  credentials: Credential[],
  dependencies: ProvisioningDependencies,
): Promise<void> {
  const { store, clock } = dependencies;
  const given = new Map(credentials.map((credential) => [credential.key, credential.value]));
  const target = object.targetClientId ? store.findTargetClient(object.targetClientId) : undefined;
  const objectName = `${object.kind === "application" ? "Application" : "Service principal"} '${object.id}'`;

  if (!given.has(keys.code)) {
    throw new ProvisioningError(`'credentials' must include the key ${keys.code} with the authorization code issued by the target.`);
  }
  const code = given.get(keys.code);
  if (!code) throw new ProvisioningError(`The value of ${keys.code} is empty.`);

  const clientId = given.get(keys.clientId) || target?.clientId;
  if (!clientId) {
    throw new ProvisioningError(`No OAuth client id: send ${keys.clientId} (${objectName} has no provisioning target registered).`);
  }
  const clientSecret = given.get(keys.clientSecret) || (target?.clientId === clientId ? target.clientSecret : undefined);
  if (!clientSecret) {
    throw new ProvisioningError(`No OAuth client secret: send ${keys.clientSecret} for client '${clientId}'.`);
  }
  const redirectUri = given.get(keys.redirectUri) || target?.redirectUris[0];
  if (!redirectUri) {
    throw new ProvisioningError(`No redirect URI: send ${keys.redirectUri} (${objectName} has no provisioning target registered).`);
  }
  const tokenUrl = resolveTokenUrl(given.get(keys.tokenExchangeUri) || `${dependencies.targetBaseUrl()}/token`);

  const outcome = await exchangeAuthorizationCode({
    tokenUrl,
    code,
    redirectUri,
    clientId,
    clientSecret,
    timeoutInMs: dependencies.codeExchangeTimeoutInMs,
  });
  if (!outcome.exchanged) {
    throw new ProvisioningError(redact(describeFailure(outcome, tokenUrl), [code, clientSecret]));
  }

  await store.commit(() => {
    // The object may have been replaced (seed) or removed (reset) while the exchange ran.
    const current = store.findSynchronizationObjectAnyTenant(object.kind, object.id);
    if (!current) throw new ProvisioningError(`${objectName} was removed while its tokens were being acquired.`);
    const secrets = new Map(current.secrets.map((secret) => [secret.key, secret.value]));
    for (const credential of credentials) {
      // The code is spent; keeping it would only store a dead secret.
      if (credential.key !== keys.code) secrets.set(credential.key, credential.value);
    }
    secrets.set(keys.accessToken, outcome.accessToken);
    if (outcome.refreshToken === undefined) secrets.delete(keys.refreshToken);
    else secrets.set(keys.refreshToken, outcome.refreshToken);
    secrets.set(keys.accessTokenCreationTime, new Date(clock()).toISOString());
    current.secrets = [...secrets].map(([key, value]) => ({ key, value }));
    current.tokenAcquisitions += 1;
  });
}

/**
 * The exchange endpoint must be an http(s) URL on this machine: the emulator is a local tool and
 * never sends codes and client secrets elsewhere.
 */
function resolveTokenUrl(value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new ProvisioningError(`${keys.tokenExchangeUri} '${value.slice(0, 200)}' is not an absolute http or https URL.`);
  }
  if (!isLoopbackHostname(url.hostname)) {
    throw new ProvisioningError(
      `${keys.tokenExchangeUri} '${url.origin}' is not a loopback address: the emulator only exchanges codes with targets on this machine (localhost, 127.0.0.0/8, ::1).`,
    );
  }
  return url;
}

function describeFailure(outcome: Exclude<CodeExchangeOutcome, { exchanged: true }>, tokenUrl: URL): string {
  const endpoint = `The OAuth token exchange endpoint '${tokenUrl.origin}${tokenUrl.pathname}'`;
  switch (outcome.failure) {
    case "unreachable":
      return `${endpoint} is unreachable (${outcome.detail}).`;
    case "unusable":
      return `${endpoint} answered HTTP ${outcome.status} and ${outcome.detail}.`;
    case "rejected": {
      const description = outcome.description ? `: ${outcome.description.slice(0, 300)}` : ".";
      if (outcome.error === "invalid_grant") return `${endpoint} rejected the authorization code (invalid_grant)${description}`;
      if (outcome.error === "invalid_client") {
        return `${endpoint} rejected the client credentials ${keys.clientId}/${keys.clientSecret} (invalid_client)${description}`;
      }
      return `${endpoint} answered HTTP ${outcome.status} (${outcome.error.slice(0, 100)})${description}`;
    }
  }
}

/** Removes secret values a target might echo in its error text. */
function redact(message: string, secrets: string[]): string {
  return secrets.reduce((text, secret) => (secret.length >= 4 ? text.replaceAll(secret, "***") : text), message);
}
