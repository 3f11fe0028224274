// The public API of @graph-sync/sdk. Keep it small: everything else is internal.
export { createSyncClient } from "./syncClient.js";
export type {
  AcquireAccessTokenOptions,
  AcquireAccessTokenResult,
  CreateSyncClientOptions,
  FetchLike,
  RetryOptions,
  SyncClient,
} from "./models.js";
export { apiVersions, clouds, type CloudEnvironment, type CloudName } from "./clouds.js";
export { SDK_VERSION, type GraphApiVersion } from "./constants.js";
export type { SyncLogger } from "./logger.js";
export {
  GraphSyncError,
  isGraphSyncError,
  type CauseJson,
  type GraphSyncErrorJson,
  type GraphSyncErrorOptions,
  type GraphSyncErrorKind,
  type GraphSyncErrorReason,
  type ValidationIssue,
} from "./errors/graphSyncError.js";
export {
  synchronizationSecretKeys,
  isSynchronizationSecretKey,
  type SynchronizationSecretKey,
} from "./validation/schemas.js";
export type {
  AcquireAccessTokenCredentials,
  ApplicationTarget,
  GraphObjectId,
  ServicePrincipalTarget,
  SyncTarget,
  SynchronizationSecretEntries,
  SynchronizationSecretEntry,
  SynchronizationSecrets,
} from "./validation/credentialTypes.js";
export {
  createCredentialFromEnvironment,
  resolveAuthority,
  type CredentialFromEnvironmentOptions,
} from "./auth/credentials.js";

// The Authorize step (consent at the target) is in @graph-sync/sdk/authorization (src/authorization/index.ts),
// and the building blocks for tools on top of the SDK in @graph-sync/sdk/tooling (src/tooling.ts): a
// call loads neither.
