import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { DurableDocument } from "./durableDocument.js";
import { validateStateDocument } from "./stateSchema.js";
import {
  emptyStateDocument,
  type AuthorizationCodeRecord,
  type ClientApplicationRecord,
  type DemoFacts,
  type EmulatorStateDocument,
  type SynchronizationObjectKind,
  type SynchronizationObjectRecord,
  type TargetClientRecord,
  type TenantRecord,
  type UserRecord,
} from "./model.js";

/** The state's file in the data directory. */
export const stateFileName = "state.json";

/**
 * The directory the emulator serves, in memory, optionally backed by `state.json` in a data
 * directory.
 *
 * Handlers make every change inside {@link commit}, which resolves once the change is on disk, so an
 * acknowledged change survives a crash, and a change whose write fails is undone rather than kept in
 * memory (and written later with some other change) after its caller was told it failed. Reads see
 * changes immediately, including ones whose write is still in flight; that is what a single real
 * service instance would show too.
 */
export class EmulatorStore {
  private readonly tenants = new Map<string, TenantRecord>();
  private readonly clientApplications = new Map<string, ClientApplicationRecord>();
  private readonly synchronizationObjects = new Map<string, SynchronizationObjectRecord>();
  private readonly targetClients = new Map<string, TargetClientRecord>();
  private readonly authorizationCodes = new Map<string, AuthorizationCodeRecord>();
  private readonly users = new Map<string, UserRecord>();
  private demo: DemoFacts | undefined;
  private readonly durable: DurableDocument<EmulatorStateDocument> | undefined;

  private constructor(
    document: EmulatorStateDocument,
    dataDirectory: string | undefined,
    /** True when there was no saved state: the caller seeds it. */
    readonly isFresh: boolean,
  ) {
    this.load(document);
    this.durable = dataDirectory
      ? new DurableDocument(
          join(dataDirectory, stateFileName),
          () => this.toDocument(),
          (durable) => this.replaceAll(durable),
          structuredClone(document),
        )
      : undefined;
  }

  /** Opens the saved state in `dataDirectory`, or an empty in-memory one. */
  static async open(dataDirectory: string | undefined): Promise<EmulatorStore> {
    if (!dataDirectory) return new EmulatorStore(emptyStateDocument(), undefined, true);
    await removeAbandonedTemporaryFiles(dataDirectory);
    const path = join(dataDirectory, stateFileName);
    const saved = await DurableDocument.read(path, (value) => {
      const formatVersion = (value as { formatVersion?: unknown } | null)?.formatVersion;
      if (typeof formatVersion === "number" && formatVersion !== 1) {
        throw new Error(`it has format version ${formatVersion}; this emulator reads version 1`);
      }
      return validateStateDocument(value);
    });
    return new EmulatorStore(saved ?? emptyStateDocument(), dataDirectory, saved === undefined);
  }

  /**
   * Applies `change` and resolves to its result once it is durable. `change` is synchronous, so
   * nothing interleaves with it, and checks everything before it modifies anything: one that throws
   * must leave the state as it was. If the write fails, the change is undone, together with any other
   * change that was not on disk yet (their callers are rejected too), and this rejects.
   */
  async commit<R>(change: () => R): Promise<R> {
    const result = change();
    await this.durable?.persist();
    return result;
  }

  /** A deep copy of the whole state. */
  toDocument(): EmulatorStateDocument {
    const document: EmulatorStateDocument = {
      formatVersion: 1,
      tenants: [...this.tenants.values()],
      clientApplications: [...this.clientApplications.values()],
      synchronizationObjects: [...this.synchronizationObjects.values()],
      targetClients: [...this.targetClients.values()],
      authorizationCodes: [...this.authorizationCodes.values()],
      users: [...this.users.values()],
    };
    if (this.demo) document.demo = this.demo;
    return structuredClone(document);
  }

  /** Replaces everything (used by reset). */
  replaceAll(document: EmulatorStateDocument): void {
    this.tenants.clear();
    this.clientApplications.clear();
    this.synchronizationObjects.clear();
    this.targetClients.clear();
    this.authorizationCodes.clear();
    this.users.clear();
    this.demo = undefined;
    this.load(document);
  }

  // Tenants -----------------------------------------------------------------------------------

  /** Finds a tenant by id or by one of its domains (case-insensitive, as Entra does). */
  findTenant(idOrDomain: string): TenantRecord | undefined {
    const wanted = idOrDomain.toLowerCase();
    const byId = this.tenants.get(wanted);
    if (byId) return byId;
    for (const tenant of this.tenants.values()) {
      if (tenant.domains.some((domain) => domain.toLowerCase() === wanted)) return tenant;
    }
    return undefined;
  }

  upsertTenant(tenant: TenantRecord): void {
    this.tenants.set(tenant.id.toLowerCase(), tenant);
  }

  // Client applications -------------------------------------------------------------------------

  findClientApplication(tenantId: string, appId: string): ClientApplicationRecord | undefined {
    return this.clientApplications.get(clientApplicationKey(tenantId, appId));
  }

  upsertClientApplication(application: ClientApplicationRecord): void {
    this.clientApplications.set(clientApplicationKey(application.tenantId, application.appId), application);
  }

  // Synchronization objects -----------------------------------------------------------------------

  findSynchronizationObject(
    kind: SynchronizationObjectKind,
    tenantId: string,
    id: string,
  ): SynchronizationObjectRecord | undefined {
    const found = this.synchronizationObjects.get(synchronizationObjectKey(kind, id));
    return found && found.tenantId.toLowerCase() === tenantId.toLowerCase() ? found : undefined;
  }

  findSynchronizationObjectAnyTenant(
    kind: SynchronizationObjectKind,
    id: string,
  ): SynchronizationObjectRecord | undefined {
    return this.synchronizationObjects.get(synchronizationObjectKey(kind, id));
  }

  upsertSynchronizationObject(object: SynchronizationObjectRecord): void {
    this.synchronizationObjects.set(synchronizationObjectKey(object.kind, object.id), object);
  }

  // Users ---------------------------------------------------------------------------------------

  /** A user of the tenant by object id or user principal name (case-insensitive, as Entra does). */
  findUser(tenantId: string, idOrUserPrincipalName: string): UserRecord | undefined {
    const byId = this.users.get(userKey(tenantId, idOrUserPrincipalName));
    if (byId) return byId;
    const wanted = idOrUserPrincipalName.toLowerCase();
    for (const user of this.users.values()) {
      if (sameTenant(user.tenantId, tenantId) && user.userPrincipalName.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  /** A user of any tenant by object id or user principal name. */
  findUserAnyTenant(idOrUserPrincipalName: string): UserRecord | undefined {
    const wanted = idOrUserPrincipalName.toLowerCase();
    for (const user of this.users.values()) {
      if (user.id.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  /** The users of a tenant, in the order they were added (the accounts a sign-in page offers). */
  usersOfTenant(tenantId: string): UserRecord[] {
    return [...this.users.values()].filter((user) => sameTenant(user.tenantId, tenantId));
  }

  upsertUser(user: UserRecord): void {
    this.users.set(userKey(user.tenantId, user.id), user);
  }

  // Provisioning target ---------------------------------------------------------------------------

  findTargetClient(clientId: string): TargetClientRecord | undefined {
    return this.targetClients.get(clientId);
  }

  upsertTargetClient(client: TargetClientRecord): void {
    this.targetClients.set(client.clientId, client);
  }

  addAuthorizationCode(code: AuthorizationCodeRecord, pruneBefore: number): void {
    // Codes are kept for a while after they expire so that "expired" and "already used" can be told
    // apart from "unknown"; older ones are dropped to keep the state small.
    for (const [hash, existing] of this.authorizationCodes) {
      if (Date.parse(existing.expiresAt) < pruneBefore) this.authorizationCodes.delete(hash);
    }
    this.authorizationCodes.set(code.codeHash, code);
  }

  findAuthorizationCode(codeHash: string): AuthorizationCodeRecord | undefined {
    return this.authorizationCodes.get(codeHash);
  }

  // Demo facts ----------------------------------------------------------------------------------

  get demoFacts(): DemoFacts | undefined {
    return this.demo;
  }

  set demoFacts(facts: DemoFacts | undefined) {
    this.demo = facts;
  }

  private load(document: EmulatorStateDocument): void {
    const copy = structuredClone(document);
    for (const tenant of copy.tenants) this.upsertTenant(tenant);
    for (const application of copy.clientApplications) this.upsertClientApplication(application);
    for (const object of copy.synchronizationObjects) this.upsertSynchronizationObject(object);
    for (const client of copy.targetClients) this.upsertTargetClient(client);
    for (const code of copy.authorizationCodes) this.authorizationCodes.set(code.codeHash, code);
    for (const user of copy.users ?? []) this.upsertUser(user);
    this.demo = copy.demo;
  }
}

/**
 * A process killed during a write leaves its temporary file behind (the state file itself is
 * intact: the rename never happened). The caller holds the directory's lock, so none is in use.
 */
async function removeAbandonedTemporaryFiles(dataDirectory: string): Promise<void> {
  const names = await readdir(dataDirectory).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(`.${stateFileName}.`) && name.endsWith(".tmp"))
      .map((name) => rm(join(dataDirectory, name), { force: true })),
  );
}

function clientApplicationKey(tenantId: string, appId: string): string {
  return `${tenantId.toLowerCase()}/${appId.toLowerCase()}`;
}

function userKey(tenantId: string, id: string): string {
  return `${tenantId.toLowerCase()}/${id.toLowerCase()}`;
}

function sameTenant(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function synchronizationObjectKey(kind: SynchronizationObjectKind, id: string): string {
  return `${kind}/${id.toLowerCase()}`;
}
