/**
 * The Microsoft Graph permissions that decide access to `acquireAccessToken`.
 *
 * The action's page lists, as it is now: application `Application.ReadWrite.OwnedBy` (least
 * privileged) and `Synchronization.ReadWrite.All`; delegated (work or school account)
 * `Synchronization.ReadWrite.All`; delegated (personal Microsoft account) not supported. The page
 * as it was listed `Directory.ReadWrite.All` (application and delegated) where it now lists
 * `Synchronization.ReadWrite.All`; apps configured from it still hold that permission, and Graph
 * still honours it (it grants far more).
 */
export const graphPermissions = {
  applicationReadWriteOwnedBy: "Application.ReadWrite.OwnedBy",
  synchronizationReadWriteAll: "Synchronization.ReadWrite.All",
  directoryReadWriteAll: "Directory.ReadWrite.All",
} as const;

/** Application permissions that reach every object of the tenant. */
export const tenantWideApplicationPermissions: readonly string[] = [
  graphPermissions.synchronizationReadWriteAll,
  graphPermissions.directoryReadWriteAll,
];

/** Delegated permissions that allow the action (together with a directory role). */
export const delegatedPermissionsAllowingTheAction: readonly string[] = [
  graphPermissions.synchronizationReadWriteAll,
  graphPermissions.directoryReadWriteAll,
];
