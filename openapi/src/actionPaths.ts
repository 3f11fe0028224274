/**
 * The two paths of `synchronization: acquireAccessToken` that graph-sync is generated from, exactly as
 * Graph's description spells them. update-spec keeps these and what they reach, nothing else; the
 * faithful-slice test hands the same list to Kiota's `--include-path`.
 */
export const ACTION_PATHS = [
  "/applications/{application-id}/synchronization/acquireAccessToken",
  "/servicePrincipals/{servicePrincipal-id}/synchronization/acquireAccessToken",
] as const;
