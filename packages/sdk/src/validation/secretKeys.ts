import type { SynchronizationSecret } from "@graph-sync/client";
import { schemaSecretKeys } from "./schemas.js";

/**
 * The name of one synchronization secret, as Graph's `microsoft.graph.synchronizationSecret` enum
 * spells it (for example `Oauth2AuthorizationCode`). Re-exported on purpose from the
 * generated client so the SDK and Graph can never disagree about the list.
 */
export type SynchronizationSecretKey = SynchronizationSecret;

/**
 * Every synchronization secret key, in Graph's order. Taken from the generated client's enum type
 * through the generated JSON Schema (whose keyed form lists them in the enum's order), not written
 * out again here: `check-schema` keeps it in step with the client, and a test compares it with the
 * client's runtime enum object. Reading it from there rather than importing the client keeps the
 * SDK's import from loading Kiota.
 */
export const synchronizationSecretKeys: readonly SynchronizationSecretKey[] = Object.freeze(
  schemaSecretKeys as readonly SynchronizationSecretKey[],
);

const knownKeys: ReadonlySet<string> = new Set(synchronizationSecretKeys);

/** Whether `name` is one of the synchronization secret keys (case-sensitive, as Graph is). */
export function isSynchronizationSecretKey(name: string): name is SynchronizationSecretKey {
  return knownKeys.has(name);
}
