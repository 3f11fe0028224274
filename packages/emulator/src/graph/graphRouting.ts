import { betaDeprecation } from "../generated/betaDeprecation.js";
import type { ActionRoute } from "./openApiFragment.js";

/** The Graph versions the emulator serves; both expose the same action. */
export type GraphVersion = "v1.0" | "beta";

export type GraphRouteMatch =
  | { matched: true; version: GraphVersion; route: ActionRoute; objectId: string }
  | { matched: false; version: GraphVersion | undefined; reason: "version" | "resource" | "encoding" };

/**
 * Resolves a request path (`/v1.0/servicePrincipals/{id}/synchronization/acquireAccessToken`) to
 * one of the routes derived from the OpenAPI fragment. Version segments are matched exactly, the
 * rest case-insensitively, as Graph does.
 */
export function matchGraphRoute(routes: readonly ActionRoute[], rawUrl: string | undefined): GraphRouteMatch {
  const path = (rawUrl ?? "/").split("?", 1)[0] ?? "/";
  const versionEnd = path.indexOf("/", 1);
  const versionSegment = versionEnd < 0 ? path.slice(1) : path.slice(1, versionEnd);
  if (versionSegment !== "v1.0" && versionSegment !== "beta") {
    return { matched: false, version: undefined, reason: "version" };
  }
  const version: GraphVersion = versionSegment;
  const rest = versionEnd < 0 ? "" : path.slice(versionEnd);
  for (const route of routes) {
    const match = route.pattern.exec(rest);
    if (!match?.[1]) continue;
    try {
      return { matched: true, version, route, objectId: decodeURIComponent(match[1]) };
    } catch {
      return { matched: false, version, reason: "encoding" };
    }
  }
  return { matched: false, version, reason: "resource" };
}

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
