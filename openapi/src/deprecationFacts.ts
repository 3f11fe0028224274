import { ACTION_PATHS } from "./actionPaths.ts";

/** What Graph's description says about the action's deprecation (its `x-ms-deprecation`). */
export interface DeprecationFacts {
  /** When it was deprecated, `YYYY-MM-DD`. */
  date: string;
  /** When Graph will remove it, `YYYY-MM-DD`. */
  removalDate: string;
  /** Graph's name for the change, e.g. `2026-02/SynchronizationSecret_Deprecation`. */
  version: string;
  /** Graph's reason, as the description words it. */
  description: string;
  /** The operation's documentation (its `externalDocs`), which says more; the emulator's `Link: rel="deprecation"`. */
  link?: string;
}

/**
 * The action's deprecation in a sliced description (the beta fragment), or `undefined` when the
 * action is not deprecated there. Both paths carry the same annotation; a description where they
 * differ is reported rather than half-used.
 */
export function readDeprecationFacts(document: { paths?: Record<string, Record<string, unknown>> }): DeprecationFacts | undefined {
  const facts = ACTION_PATHS.map((path) => {
    const operation = document.paths?.[path]?.["post"] as
      | { deprecated?: boolean; "x-ms-deprecation"?: Record<string, unknown>; externalDocs?: { url?: unknown } }
      | undefined;
    if (!operation?.deprecated) return undefined;
    const annotation = operation["x-ms-deprecation"] ?? {};
    const field = (name: string) => {
      const value = annotation[name];
      if (typeof value !== "string" || value === "") throw new Error(`POST ${path} is deprecated but its x-ms-deprecation has no ${name}`);
      return value;
    };
    const dates = { date: field("date"), removalDate: field("removalDate") };
    for (const [name, value] of Object.entries(dates)) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new Error(`POST ${path}: x-ms-deprecation ${name} '${value}' is not a YYYY-MM-DD date`);
    }
    const link = operation.externalDocs?.url;
    return { ...dates, version: field("version"), description: field("description"), ...(typeof link === "string" ? { link } : {}) };
  });
  const [first, ...others] = facts;
  if (others.some((other) => JSON.stringify(other) !== JSON.stringify(first))) {
    throw new Error(`the two acquireAccessToken paths carry different deprecations: ${JSON.stringify(facts)}`);
  }
  return first;
}
