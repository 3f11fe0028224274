import type { SynchronizationObjectRecord } from "../state/model.js";
import type { AppOnlyPrincipal } from "../tokens/accessTokenVerifier.js";
import { GraphError } from "./errors.js";

/** Application permissions that allow `acquireAccessToken` (Graph's permission reference). */
export const synchronizationReadWriteAll = "Synchronization.ReadWrite.All";
export const applicationReadWriteOwnedBy = "Application.ReadWrite.OwnedBy";

/**
 * `Synchronization.ReadWrite.All` reaches every object in the tenant; `Application.ReadWrite.OwnedBy`
 * only objects the calling app owns (its service principal is an owner). Anything else is Graph's
 * 403 `Authorization_RequestDenied`.
 */
export function requirePermission(principal: AppOnlyPrincipal, object: SynchronizationObjectRecord): void {
  if (principal.roles.includes(synchronizationReadWriteAll)) return;
  const owns = object.owners.some((owner) => {
    const normalized = owner.toLowerCase();
    return normalized === principal.servicePrincipalId.toLowerCase() || normalized === principal.appId.toLowerCase();
  });
  if (principal.roles.includes(applicationReadWriteOwnedBy) && owns) return;
  throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
}
