// The public API of @graph-sync/sdk. Keep it small: everything else is internal.
export { createSyncClient } from "./createSyncClient.js";
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
} from "./validation/secretKeys.js";
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
} from "./auth/createCredentialFromEnvironment.js";
export {
  createAuthorizationRequest,
  isLoopbackHttp,
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
} from "./authorization/authorizationRequest.js";
export {
  readAuthorizationResponse,
  type AuthorizationResponse,
  type ExpectedAuthorizationResponse,
} from "./authorization/authorizationResponse.js";
export {
  AuthorizationFlowError,
  isAuthorizationFlowError,
  type AuthorizationFlowFailure,
} from "./authorization/authorizationFlowError.js";

// Building blocks that tools on top of the SDK (the graph-sync CLI in @graph-sync/cli, and
// anything like it) need to behave as the SDK does: check input before a sign-in with the same
// rules and wording, read a credentials file strictly, redact what the SDK would redact, suggest a
// name for a typo, describe beta's deprecation. Exported on purpose, since @graph-sync/cli imports
// the SDK by its name only; each is a small function with no state of its own, except redact,
// which reads the secrets the SDK registered (client secrets, tokens).
export { redact } from "./errors/redaction.js";
export { parseCredentialsJson } from "./validation/parseCredentialsJson.js";
export { validateCredentials } from "./validation/validateCredentials.js";
export { validateTogether } from "./validation/validateTogether.js";
export { DEVICE_CODE_LIFETIME } from "./failures/credentialAdvice.js";
export { describeTarget, validateTarget, type ResolvedTarget } from "./validation/validateTarget.js";
export { closestMatch } from "./validation/messages.js";
export { betaDeprecation, type BetaDeprecation } from "./generated/betaDeprecation.js";
