/**
 * Graph's beta metadata marks `acquireAccessToken` deprecated ("Code Grant will be completely
 * deprecated so this action will be obsolete"): deprecated on 2026-02-06, removal on 2027-07-06,
 * version `2026-02/SynchronizationSecret_Deprecation`. Graph announces such deprecations on beta
 * responses with `Deprecation` and `Sunset` headers in HTTP-date form, which is what the emulated beta
 * endpoint sends with every answer to the action. v1.0 carries no deprecation.
 */
export const betaDeprecation = {
  deprecatedOn: new Date("2026-02-06T00:00:00Z"),
  removalOn: new Date("2027-07-06T00:00:00Z"),
  version: "2026-02/SynchronizationSecret_Deprecation",
} as const;

export const betaDeprecationHeaders: Readonly<Record<string, string>> = {
  Deprecation: betaDeprecation.deprecatedOn.toUTCString(),
  Sunset: betaDeprecation.removalOn.toUTCString(),
};
