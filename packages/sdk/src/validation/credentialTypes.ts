// The public shapes of the `credentials` and `target` arguments. They are also the source of the
// committed JSON Schemas in `schema/` (run `npm run generate-schema` after changing anything here;
// CI runs `check-schema`): JSDoc tags such as `@minItems` or `@pattern` become schema keywords.
//
// What a JSON Schema cannot say (each key at most once in a list, no empty value) is checked in
// validateCredentials.ts on top of the schema.
import type { SynchronizationSecretKey } from "./schemas.js";

/**
 * Credentials keyed by secret name, for example
 * `{ "Oauth2AuthorizationCode": "...", "Oauth2RedirectUri": "https://..." }`.
 * @minProperties 1
 */
export type SynchronizationSecrets = {
  [Key in SynchronizationSecretKey]?: string;
};

/** One credential as Graph's `synchronizationSecretKeyStringValuePair` carries it. */
export interface SynchronizationSecretEntry {
  /** The secret's name, one of the synchronization secret keys (Graph's `synchronizationSecret` enum). */
  key: SynchronizationSecretKey;
  /** The secret's value. */
  value: string;
}

/**
 * Credentials as a list of key/value pairs, in the order Graph should receive them. Each key may
 * appear once.
 * @minItems 1
 */
export type SynchronizationSecretEntries = SynchronizationSecretEntry[];

/**
 * The `credentials` argument of `acquireAccessToken`, and the content of the CLI's credentials
 * file: either an object keyed by secret name or a list of key/value pairs. Values are secrets:
 * the SDK never logs them or puts them in errors.
 */
export type AcquireAccessTokenCredentials = SynchronizationSecrets | SynchronizationSecretEntries;

/**
 * A Microsoft Graph object id (a GUID), for example `8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b`.
 * @pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
 */
export type GraphObjectId = string;

/** Targets the synchronization of a service principal (an enterprise application). */
export interface ServicePrincipalTarget {
  /** The object id of the service principal (Enterprise applications → Object ID). */
  servicePrincipalId: GraphObjectId;
}

/** Targets the synchronization of an application (an app registration). */
export interface ApplicationTarget {
  /** The object id of the application (App registrations → Object ID), not its client (app) id. */
  applicationId: GraphObjectId;
}

/** Whose synchronization receives the credentials: exactly one of the two ids. */
export type SyncTarget = ServicePrincipalTarget | ApplicationTarget;
