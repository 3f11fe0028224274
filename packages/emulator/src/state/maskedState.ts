import type {
  AuthorizationCodeRecord,
  ClientApplicationRecord,
  DemoFacts,
  EmulatorStateDocument,
  SynchronizationObjectRecord,
  TargetClientRecord,
  TenantRecord,
  UserRecord,
} from "./model.js";
import { sha256Hex } from "./randomValues.js";

/** What a masked secret value reads as. */
export const maskedValue = "********";

/**
 * Synchronization secret keys whose values are configuration, not credentials, and so are shown in
 * clear. Every other key (tokens, passwords, client secrets, unknown future keys) is masked.
 */
const nonSensitiveSynchronizationKeys = new Set([
  "Oauth2AccessTokenCreationTime",
  "Oauth2ClientId",
  "Oauth2RedirectUri",
  "Oauth2TokenExchangeUri",
  "Oauth2AuthorizationUri",
  "BaseAddress",
  "SyncAll",
  "SyncNotificationSettings",
  "SkipOutOfScopeDeletions",
]);

/**
 * A short, one-way fingerprint of a secret (`sha256:` and 12 hex digits), so a test or an operator
 * can tell which value is stored, or that it changed, without the value itself being shown.
 */
export function fingerprint(value: string): string {
  return `sha256:${sha256Hex(value).slice(0, 12)}`;
}

export interface MaskedSynchronizationSecret {
  key: string;
  /** The value for non-sensitive keys; `********` otherwise; `null` when unset. */
  value: string | null;
  valueFingerprint?: string;
}

export interface MaskedSynchronizationObject extends Omit<SynchronizationObjectRecord, "secrets" | "kind"> {
  secrets: MaskedSynchronizationSecret[];
}

export interface MaskedClientApplication extends Omit<ClientApplicationRecord, "secrets"> {
  secrets: Array<{ keyId: string; displayName: string; endDateTime: string; value: string; valueFingerprint: string }>;
}

export interface MaskedTargetClient extends Omit<TargetClientRecord, "clientSecret"> {
  clientSecret: string;
  clientSecretFingerprint: string;
}

export interface MaskedAuthorizationCode extends Omit<AuthorizationCodeRecord, "codeHash"> {
  codeFingerprint: string;
}

/** The admin API's view of the state (`GET /state`): everything, with secret values masked. */
export interface MaskedState {
  tenants: TenantRecord[];
  clientApplications: MaskedClientApplication[];
  targetClients: MaskedTargetClient[];
  applications: MaskedSynchronizationObject[];
  servicePrincipals: MaskedSynchronizationObject[];
  authorizationCodes: MaskedAuthorizationCode[];
  /** Users hold no secrets: shown as stored. */
  users: UserRecord[];
  demo?: DemoFacts;
}

export function maskState(document: EmulatorStateDocument): MaskedState {
  const objects = (kind: SynchronizationObjectRecord["kind"]): MaskedSynchronizationObject[] =>
    document.synchronizationObjects
      .filter((object) => object.kind === kind)
      .map(({ kind: _kind, secrets, ...rest }) => ({ ...rest, secrets: secrets.map(maskSynchronizationSecret) }));
  const masked: MaskedState = {
    tenants: document.tenants,
    clientApplications: document.clientApplications.map(({ secrets, ...rest }) => ({
      ...rest,
      secrets: secrets.map(({ value, ...secret }) => ({ ...secret, value: maskedValue, valueFingerprint: fingerprint(value) })),
    })),
    targetClients: document.targetClients.map(({ clientSecret, ...rest }) => ({
      ...rest,
      clientSecret: maskedValue,
      clientSecretFingerprint: fingerprint(clientSecret),
    })),
    applications: objects("application"),
    servicePrincipals: objects("servicePrincipal"),
    authorizationCodes: document.authorizationCodes.map(({ codeHash, ...rest }) => ({
      ...rest,
      // The stored hash is the full SHA-256 of the code, so its prefix is the code's fingerprint.
      codeFingerprint: `sha256:${codeHash.slice(0, 12)}`,
    })),
    users: document.users ?? [],
  };
  if (document.demo) masked.demo = document.demo;
  return masked;
}

function maskSynchronizationSecret(secret: { key: string; value: string | null }): MaskedSynchronizationSecret {
  if (secret.value === null) return { key: secret.key, value: null };
  if (nonSensitiveSynchronizationKeys.has(secret.key)) return { key: secret.key, value: secret.value };
  return { key: secret.key, value: maskedValue, valueFingerprint: fingerprint(secret.value) };
}
