import type { SchemaObject } from "ajv";
import type { EmulatorClock } from "../clock.js";
import type {
  ClientApplicationRecord,
  SynchronizationObjectKind,
  SynchronizationObjectRecord,
  TargetClientRecord,
  TenantRecord,
  UserRecord,
} from "./model.js";
import { roleTemplateIdOf } from "./directoryRoles.js";
import { newClientSecret, newObjectId } from "./randomValues.js";
import type { EmulatorStore } from "./store.js";

/**
 * The redirect URI Entra's provisioning service registers with OAuth-based targets (the portal's
 * "Authorize" button); the default for seeded target clients.
 */
export const defaultTargetRedirectUri = "https://portal.azure.com/TokenAuthorize";

const oneYearInMs = 365 * 24 * 60 * 60 * 1000;

/** A tenant to create or replace. */
export interface TenantSeed {
  id?: string;
  displayName?: string;
  domains?: string[];
}

/** A client secret to register; the value is generated when absent. */
export interface ClientSecretSeed {
  keyId?: string;
  displayName?: string;
  value?: string;
  /** ISO 8601; default one year from now. A past date seeds an expired secret. */
  endDateTime?: string;
}

/** An app registration that calls Graph, with its service principal. */
export interface ClientApplicationSeed {
  tenantId: string;
  appId?: string;
  displayName?: string;
  servicePrincipalId?: string;
  /** Graph application permissions, e.g. `Application.ReadWrite.OwnedBy`. */
  roles?: string[];
  /** Graph delegated permissions consented for all users, e.g. `Synchronization.ReadWrite.All`. */
  delegatedPermissions?: string[];
  /** "Allow public client flows" (needed for the device code flow); default false. */
  allowPublicClientFlows?: boolean;
  /** Default: one generated secret valid for a year. `[]` registers none. */
  secrets?: ClientSecretSeed[];
}

/** A user who can sign in with the device code flow. */
export interface UserSeed {
  tenantId: string;
  id?: string;
  /** Default: `user-<first 8 characters of the id>@<the tenant's first domain>`. */
  userPrincipalName?: string;
  displayName?: string;
  /**
   * Directory roles, by name (`Cloud Application Administrator`) or role template id. Names the
   * emulator does not know are refused; unknown template ids are kept.
   */
  directoryRoles?: string[];
  /** A personal Microsoft account; default false. */
  personalAccount?: boolean;
}

/** An OAuth client registered at the emulated provisioning target. */
export interface TargetClientSeed {
  clientId?: string;
  clientSecret?: string;
  displayName?: string;
  /** Default: `https://portal.azure.com/TokenAuthorize`. */
  redirectUris?: string[];
}

/** An application or service principal that `acquireAccessToken` can act on. */
export interface SynchronizationObjectSeed {
  id?: string;
  tenantId: string;
  displayName?: string;
  /** Service principal object ids (or appIds) of the apps that own it. */
  owners?: string[];
  /** A target client (seeded before or in the same request) the object authorizes against. */
  targetClientId?: string;
  secrets?: Array<{ key: string; value: string | null }>;
}

/** Objects to create or replace; each list is optional. */
export interface SeedRequest {
  tenants?: TenantSeed[];
  clientApplications?: ClientApplicationSeed[];
  targetClients?: TargetClientSeed[];
  applications?: SynchronizationObjectSeed[];
  servicePrincipals?: SynchronizationObjectSeed[];
  users?: UserSeed[];
}

/**
 * What was stored, with generated ids and secret values. Like Entra's `addPassword`, this is the one
 * place a generated secret is returned in clear.
 */
export interface SeedResult {
  tenants: TenantRecord[];
  clientApplications: ClientApplicationRecord[];
  targetClients: TargetClientRecord[];
  applications: SynchronizationObjectRecord[];
  servicePrincipals: SynchronizationObjectRecord[];
  users: UserRecord[];
}

/** Raised when a seed request refers to something that does not exist. */
export class SeedError extends Error {
  override readonly name = "SeedError";
}

/** JSON Schema building blocks: seeds are closed objects whose fields may be left out or null. */
const optionalNonEmptyText = { type: "string", minLength: 1, nullable: true } as const;
const optionalText = { type: "string", nullable: true } as const;
const optionalStringList = { type: "array", items: { type: "string" }, nullable: true } as const;
const closedObject = (properties: Record<string, SchemaObject>, required?: string[]): SchemaObject => ({
  type: "object",
  additionalProperties: false,
  properties,
  ...(required ? { required } : {}),
});
const optionalListOf = (items: SchemaObject): SchemaObject => ({ type: "array", nullable: true, items });

const synchronizationObjectSeedSchema = closedObject(
  {
    id: optionalNonEmptyText,
    tenantId: { type: "string", minLength: 1 },
    displayName: optionalText,
    owners: optionalStringList,
    targetClientId: optionalNonEmptyText,
    secrets: optionalListOf(closedObject({ key: { type: "string", minLength: 1 }, value: optionalText }, ["key", "value"])),
  },
  ["tenantId"],
);

/** JSON Schema of {@link SeedRequest}, used by the admin API. */
export const seedRequestSchema: SchemaObject = closedObject({
  tenants: optionalListOf(closedObject({ id: optionalNonEmptyText, displayName: optionalText, domains: optionalStringList })),
  clientApplications: optionalListOf(
    closedObject(
      {
        tenantId: { type: "string", minLength: 1 },
        appId: optionalNonEmptyText,
        displayName: optionalText,
        servicePrincipalId: optionalNonEmptyText,
        roles: optionalStringList,
        delegatedPermissions: optionalStringList,
        allowPublicClientFlows: { type: "boolean", nullable: true },
        secrets: optionalListOf(
          closedObject({ keyId: optionalNonEmptyText, displayName: optionalText, value: optionalNonEmptyText, endDateTime: optionalNonEmptyText }),
        ),
      },
      ["tenantId"],
    ),
  ),
  targetClients: optionalListOf(
    closedObject({ clientId: optionalNonEmptyText, clientSecret: optionalNonEmptyText, displayName: optionalText, redirectUris: optionalStringList }),
  ),
  applications: optionalListOf(synchronizationObjectSeedSchema),
  servicePrincipals: optionalListOf(synchronizationObjectSeedSchema),
  users: optionalListOf(
    closedObject(
      {
        tenantId: { type: "string", minLength: 1 },
        id: optionalNonEmptyText,
        userPrincipalName: optionalNonEmptyText,
        displayName: optionalText,
        directoryRoles: optionalStringList,
        personalAccount: { type: "boolean", nullable: true },
      },
      ["tenantId"],
    ),
  ),
});

/**
 * Creates or replaces the objects of `request` (tenants first, so later entries may refer to
 * earlier ones). Validates references before changing anything, so a rejected seed changes nothing.
 */
export function applySeed(store: EmulatorStore, request: SeedRequest, clock: EmulatorClock): SeedResult {
  const now = clock();
  const tenants = (request.tenants ?? []).map((seed): TenantRecord => {
    const id = seed.id ?? newObjectId();
    return { id, displayName: seed.displayName ?? `Tenant ${id.slice(0, 8)}`, domains: seed.domains ?? [] };
  });
  const tenantExists = (tenantId: string): boolean =>
    store.findTenant(tenantId) !== undefined || tenants.some((tenant) => sameId(tenant.id, tenantId));
  const requireTenant = (tenantId: string, what: string): string => {
    if (!tenantExists(tenantId)) throw new SeedError(`${what} refers to tenant '${tenantId}', which does not exist.`);
    // Store the canonical tenant id even when the seed named the tenant by a domain.
    return store.findTenant(tenantId)?.id ?? tenants.find((tenant) => sameId(tenant.id, tenantId))?.id ?? tenantId;
  };

  const clientApplications = (request.clientApplications ?? []).map((seed): ClientApplicationRecord => {
    const appId = seed.appId ?? newObjectId();
    const tenantId = requireTenant(seed.tenantId, `Client application '${appId}'`);
    const secrets = (seed.secrets ?? [{}]).map((secret, index) => {
      const endDateTime = secret.endDateTime ?? new Date(now + oneYearInMs).toISOString();
      if (Number.isNaN(Date.parse(endDateTime))) {
        throw new SeedError(`Client application '${appId}' secret ${index}: endDateTime '${endDateTime}' is not a date.`);
      }
      return {
        keyId: secret.keyId ?? newObjectId(),
        displayName: secret.displayName ?? `secret ${index + 1}`,
        value: secret.value ?? newClientSecret(),
        endDateTime: new Date(endDateTime).toISOString(),
      };
    });
    return {
      tenantId,
      appId,
      displayName: seed.displayName ?? `App ${appId.slice(0, 8)}`,
      servicePrincipalId: seed.servicePrincipalId ?? newObjectId(),
      roles: seed.roles ?? [],
      delegatedPermissions: seed.delegatedPermissions ?? [],
      allowPublicClientFlows: seed.allowPublicClientFlows ?? false,
      secrets,
    };
  });

  const targetClients = (request.targetClients ?? []).map((seed): TargetClientRecord => {
    const clientId = seed.clientId ?? newObjectId();
    const redirectUris = seed.redirectUris ?? [defaultTargetRedirectUri];
    for (const uri of redirectUris) {
      if (!URL.canParse(uri)) throw new SeedError(`Target client '${clientId}': redirect URI '${uri}' is not an absolute URL.`);
    }
    return {
      clientId,
      clientSecret: seed.clientSecret ?? newClientSecret(),
      displayName: seed.displayName ?? `Target client ${clientId.slice(0, 8)}`,
      redirectUris,
    };
  });
  const targetClientExists = (clientId: string): boolean =>
    store.findTargetClient(clientId) !== undefined || targetClients.some((client) => client.clientId === clientId);

  const toObject = (kind: SynchronizationObjectKind) => (seed: SynchronizationObjectSeed): SynchronizationObjectRecord => {
    const id = seed.id ?? newObjectId();
    const label = kind === "application" ? `Application '${id}'` : `Service principal '${id}'`;
    const tenantId = requireTenant(seed.tenantId, label);
    if (seed.targetClientId !== undefined && !targetClientExists(seed.targetClientId)) {
      throw new SeedError(`${label} refers to target client '${seed.targetClientId}', which does not exist.`);
    }
    const record: SynchronizationObjectRecord = {
      kind,
      id,
      tenantId,
      displayName: seed.displayName ?? `${kind === "application" ? "Application" : "Service principal"} ${id.slice(0, 8)}`,
      owners: seed.owners ?? [],
      secrets: seed.secrets ?? [],
      tokenAcquisitions: 0,
    };
    if (seed.targetClientId !== undefined) record.targetClientId = seed.targetClientId;
    return record;
  };
  const applications = (request.applications ?? []).map(toObject("application"));
  const servicePrincipals = (request.servicePrincipals ?? []).map(toObject("servicePrincipal"));

  const users = (request.users ?? []).map((seed): UserRecord => {
    const id = seed.id ?? newObjectId();
    const tenantId = requireTenant(seed.tenantId, `User '${id}'`);
    const domain = store.findTenant(tenantId)?.domains[0] ?? tenants.find((tenant) => sameId(tenant.id, tenantId))?.domains[0] ?? "emulator.invalid";
    const directoryRoleTemplateIds = (seed.directoryRoles ?? []).map((role) => {
      const templateId = roleTemplateIdOf(role);
      if (!templateId) throw new SeedError(`User '${id}': '${role}' is not a directory role the emulator knows; give its role template id instead.`);
      return templateId;
    });
    const user: UserRecord = {
      tenantId,
      id,
      userPrincipalName: seed.userPrincipalName ?? `user-${id.slice(0, 8)}@${domain}`,
      displayName: seed.displayName ?? `User ${id.slice(0, 8)}`,
      directoryRoleTemplateIds: [...new Set(directoryRoleTemplateIds)],
    };
    if (seed.personalAccount) user.personalAccount = true;
    return user;
  });

  // Everything checked: apply.
  for (const tenant of tenants) store.upsertTenant(tenant);
  for (const application of clientApplications) store.upsertClientApplication(application);
  for (const client of targetClients) store.upsertTargetClient(client);
  for (const object of [...applications, ...servicePrincipals]) store.upsertSynchronizationObject(object);
  for (const user of users) store.upsertUser(user);
  return structuredClone({ tenants, clientApplications, targetClients, applications, servicePrincipals, users });
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
