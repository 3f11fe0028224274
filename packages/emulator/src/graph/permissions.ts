import type { PermissionDenialStyle } from "../accessConfig.js";
import { rolesAllowedToAcquireTokens } from "../state/directoryRoles.js";
import type { SynchronizationObjectRecord } from "../state/model.js";
import type { DelegatedPrincipal, GraphCaller } from "../tokens/accessTokenVerifier.js";
import { GraphError } from "./graphErrors.js";

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

/** Whether a caller may act on an object, and which grant (or which missing grant) decided it. */
export type AccessDecision = { allowed: true; grantedBy: string } | { allowed: false; reason: string };

/**
 * The permission matrix of `acquireAccessToken` (see `graphPermissions` above for the sources):
 *
 * - app-only: `Synchronization.ReadWrite.All` or `Directory.ReadWrite.All` on any object of the
 *   tenant; `Application.ReadWrite.OwnedBy` only on an object the app owns, and it is the object
 *   addressed that counts (the service principal for `/servicePrincipals/{id}`, the application for
 *   `/applications/{id}`): owning the application does not reach its service principal;
 * - delegated (work or school account): `Synchronization.ReadWrite.All` or `Directory.ReadWrite.All`
 *   in `scp`, and one of the directory roles that allow the action in `wids`;
 * - delegated (personal Microsoft account): never.
 */
export function decideAccess(caller: GraphCaller, object: SynchronizationObjectRecord): AccessDecision {
  if (caller.kind === "user") return decideDelegatedAccess(caller);
  const tenantWide = tenantWideApplicationPermissions.find((permission) => caller.roles.includes(permission));
  if (tenantWide) return { allowed: true, grantedBy: tenantWide };
  if (!caller.roles.includes(graphPermissions.applicationReadWriteOwnedBy)) {
    return { allowed: false, reason: "the app holds no application permission that allows the action" };
  }
  const owns = object.owners.some((owner) => {
    const normalized = owner.toLowerCase();
    return normalized === caller.servicePrincipalId.toLowerCase() || normalized === caller.appId.toLowerCase();
  });
  return owns
    ? { allowed: true, grantedBy: graphPermissions.applicationReadWriteOwnedBy }
    : { allowed: false, reason: `Application.ReadWrite.OwnedBy, but the app does not own the ${object.kind === "servicePrincipal" ? "service principal" : "application"} addressed` };
}

/** Personal accounts can never; others need both a permission in `scp` and a role in `wids`. */
export function decideDelegatedAccess(caller: DelegatedPrincipal): AccessDecision {
  if (caller.personalAccount) return { allowed: false, reason: "personal Microsoft accounts are not supported" };
  const permission = delegatedPermissionsAllowingTheAction.find((candidate) => caller.scopes.includes(candidate));
  if (!permission) return { allowed: false, reason: "the delegated token has no permission that allows the action (scp)" };
  if (!caller.roleTemplateIds.some((role) => rolesAllowedToAcquireTokens.includes(role))) {
    return { allowed: false, reason: "the signed-in user holds no directory role that allows the action (wids)" };
  }
  return { allowed: true, grantedBy: permission };
}

/**
 * The answer to a caller Graph authenticated but the synchronization service refuses, in the chosen
 * style (see `PermissionDenialStyle`): 401 `UnknownError` with an empty message, as users report
 * it, or Graph's generic 403.
 */
export function permissionDenied(style: PermissionDenialStyle): GraphError {
  return style === "forbidden"
    ? new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
    : new GraphError(401, "UnknownError", "");
}
