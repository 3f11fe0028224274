import { betaDeprecation } from "../generated/betaDeprecation.js";

/**
 * The headers the emulated beta endpoint adds to every answer to the action, from Graph's beta
 * description (its x-ms-deprecation annotation, see src/generated/betaDeprecation.ts): `Deprecation`
 * and `Sunset` as HTTP dates, the form Graph sends, and `Link: <docs>; rel="deprecation"` (RFC 9745).
 * None when the description does not deprecate the action. v1.0 carries no deprecation.
 */
export const betaDeprecationHeaders: Readonly<Record<string, string>> = Object.freeze(
  betaDeprecation
    ? {
        Deprecation: new Date(`${betaDeprecation.date}T00:00:00Z`).toUTCString(),
        Sunset: new Date(`${betaDeprecation.removalDate}T00:00:00Z`).toUTCString(),
        ...(betaDeprecation.link ? { Link: `<${betaDeprecation.link}>; rel="deprecation"; type="text/html"` } : {}),
      }
    : {},
);
