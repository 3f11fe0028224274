/**
 * The emulated directory: what the login host, Graph and the provisioning target know about.
 *
 * These records are the persisted form (`state.json` in the data directory), so every field is plain
 * JSON. Secret values are kept as given, because the emulator has to compare and report them; the
 * admin API only ever shows the masked view (see `maskedState.ts`).
 */

/** A Microsoft Entra tenant. Lookups accept the id or any of its domains. */
export interface TenantRecord {
  id: string;
  displayName: string;
  domains: string[];
}

/** A client secret (a `passwordCredential`) of an app registration. */
export interface ClientSecretRecord {
  keyId: string;
  displayName: string;
  value: string;
  /** ISO 8601; after it the token endpoint answers AADSTS7000222. */
  endDateTime: string;
}

/**
 * An app registration that calls Graph with the client-credentials grant (the caller of
 * `acquireAccessToken`), together with its service principal in the same tenant.
 */
export interface ClientApplicationRecord {
  tenantId: string;
  /** The application (client) id: `client_id` at the token endpoint, `appid` in tokens. */
  appId: string;
  displayName: string;
  /** Object id of the app's service principal: `oid`/`sub` in its tokens, and what ownership names. */
  servicePrincipalId: string;
  /** Microsoft Graph application permissions granted with admin consent (token `roles`). */
  roles: string[];
  /**
   * Microsoft Graph delegated permissions granted with admin consent for every user (token `scp` of
   * the users who sign in to this app). Absent in states saved before delegated sign-in existed.
   */
  delegatedPermissions?: string[];
  /**
   * "Allow public client flows" of the app registration: without it Entra refuses the device code
   * flow for this app (AADSTS7000218, a client secret is expected). Absent means false.
   */
  allowPublicClientFlows?: boolean;
  secrets: ClientSecretRecord[];
}

/**
 * A user of a tenant who can sign in with the device code flow. Directory roles are kept as role
 * template ids, as Entra puts them in the token's `wids` claim.
 */
export interface UserRecord {
  tenantId: string;
  /** Object id: `oid` in the user's tokens. */
  id: string;
  /** `upn` in the user's tokens; sign-in name. Unique per tenant (case-insensitive). */
  userPrincipalName: string;
  displayName: string;
  /** Role template ids of the directory roles assigned to the user (`wids`). */
  directoryRoleTemplateIds: string[];
  /**
   * A personal Microsoft account (outlook.com, hotmail.com): its tokens come from the consumers
   * tenant, and Graph refuses them for this action.
   */
  personalAccount?: boolean;
}

/** The two kinds of directory object that carry a synchronization resource. */
export type SynchronizationObjectKind = "application" | "servicePrincipal";

/** One entry of an object's synchronization secrets (`synchronization/secrets`). */
export interface SynchronizationSecretRecord {
  key: string;
  value: string | null;
}

/** An application or service principal whose synchronization `acquireAccessToken` acts on. */
export interface SynchronizationObjectRecord {
  kind: SynchronizationObjectKind;
  /** Object id, the `{application-id}` / `{servicePrincipal-id}` in the URL. */
  id: string;
  tenantId: string;
  displayName: string;
  /**
   * Owners, as the calling app's service principal object id (Graph's own model) or, for
   * convenience when seeding, its appId. `Application.ReadWrite.OwnedBy` only reaches owned objects.
   */
  owners: string[];
  /** The provisioning target's OAuth client registered for this object, if any. */
  targetClientId?: string;
  secrets: SynchronizationSecretRecord[];
  /** How many times `acquireAccessToken` has succeeded on this object (our bookkeeping). */
  tokenAcquisitions: number;
}

/** An OAuth client registered at the emulated provisioning target (its authorization server). */
export interface TargetClientRecord {
  clientId: string;
  clientSecret: string;
  displayName: string;
  redirectUris: string[];
}

/** An authorization code the target issued. Kept after use so that reuse can be told apart. */
export interface AuthorizationCodeRecord {
  /** SHA-256 of the code, hex: the code itself is never stored. */
  codeHash: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  issuedAt: string;
  expiresAt: string;
  redeemedAt?: string;
}

/** The ids of the demo tenant's objects, so a restart with the same data directory reports them. */
export interface DemoFacts {
  tenantId: string;
  clientId: string;
  servicePrincipalId: string;
  applicationId: string;
  targetClientId: string;
  /** The demo tenant's signed-in administrator (Cloud Application Administrator); absent in older states. */
  adminUserPrincipalName?: string;
}

/** The whole persisted document. */
export interface EmulatorStateDocument {
  formatVersion: 1;
  tenants: TenantRecord[];
  clientApplications: ClientApplicationRecord[];
  synchronizationObjects: SynchronizationObjectRecord[];
  targetClients: TargetClientRecord[];
  authorizationCodes: AuthorizationCodeRecord[];
  /** Absent in states saved before delegated sign-in existed; read as []. */
  users?: UserRecord[];
  demo?: DemoFacts;
}

/** An empty directory. */
export function emptyStateDocument(): EmulatorStateDocument {
  return {
    formatVersion: 1,
    tenants: [],
    clientApplications: [],
    synchronizationObjects: [],
    targetClients: [],
    authorizationCodes: [],
    users: [],
  };
}
