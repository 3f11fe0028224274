import type { ResolvedTarget } from "../validation/validateTarget.js";

/**
 * Who may call acquireAccessToken, least privileged first, as one paragraph for error messages.
 *
 * From the action's page, as it is now and as it was: an app needs the application permission
 * Application.ReadWrite.OwnedBy (and must own the object addressed: for /servicePrincipals/{id}
 * the service principal itself, owning the app registration is not enough) or
 * Synchronization.ReadWrite.All; the older page listed Directory.ReadWrite.All instead, which still
 * works but grants far more. A signed-in user needs the delegated Synchronization.ReadWrite.All (or
 * the older Directory.ReadWrite.All) and a directory role: Application Administrator, Cloud
 * Application Administrator, or Hybrid Identity Administrator (for Microsoft Entra Cloud Sync).
 */
export function requiredAccessAdvice(target: ResolvedTarget): string {
  const owned =
    target.kind === "servicePrincipal"
      ? "with the app an owner of the service principal itself (owning its app registration is not enough)"
      : "with the app an owner of the application";
  return (
    "An app needs one Microsoft Graph application permission with admin consent, least privileged first: " +
    `Application.ReadWrite.OwnedBy, ${owned}; Synchronization.ReadWrite.All; or Directory.ReadWrite.All ` +
    "(listed by the older documentation; it grants far more, so prefer Synchronization.ReadWrite.All). " +
    "A signed-in user needs the delegated Synchronization.ReadWrite.All (or Directory.ReadWrite.All) and one of the " +
    "directory roles Application Administrator, Cloud Application Administrator or Hybrid Identity Administrator " +
    "(for Microsoft Entra Cloud Sync); personal Microsoft accounts are not supported. " +
    "After granting, get a new token: a token keeps the permissions and roles it was issued with."
  );
}
