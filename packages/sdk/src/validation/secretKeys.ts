import { SynchronizationSecretObject, type SynchronizationSecret } from "@graph-sync/client";

/**
 * The name of one synchronization secret, as Graph's `microsoft.graph.synchronizationSecret` enum
 * spells it (45 names, for example `Oauth2AuthorizationCode`). Re-exported on purpose from the
 * generated client so the SDK and Graph can never disagree about the list.
 */
export type SynchronizationSecretKey = SynchronizationSecret;

/**
 * Every synchronization secret key, in Graph's order. Derived at run time from the generated
 * client's enum object rather than written out again here.
 */
export const synchronizationSecretKeys: readonly SynchronizationSecretKey[] = Object.freeze(
  Object.values(SynchronizationSecretObject),
);

const knownKeys: ReadonlySet<string> = new Set(synchronizationSecretKeys);

/** Whether `name` is one of the 45 synchronization secret keys (case-sensitive, as Graph is). */
export function isSynchronizationSecretKey(name: string): name is SynchronizationSecretKey {
  return knownKeys.has(name);
}
