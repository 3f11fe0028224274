// The public API of @graph-sync/emulator: start an emulator, talk to its admin API, and the types
// of its options, facts, settings and admin payloads. Everything else is internal.
export { startEmulator } from "./emulator.js";
export type { EmulatorFacts, EmulatorOptions, RunningEmulator, TargetFacts } from "./emulatorOptions.js";
export { AdminApiError, AdminClient } from "./admin/adminClient.js";
export type { ResetTarget } from "./admin/adminRequestHandler.js";
export type { EmulatorClock } from "./clock.js";
export type { EmulatorLogger } from "./logger.js";
export type { RequestLogEntry, ServedArea } from "./http/requestLog.js";
export {
  defaultThrottlingConfig,
  type RetryAfterFormat,
  type ThrottleScope,
  type ThrottlingConfig,
} from "./throttling/throttlingConfig.js";
export {
  defaultAccessConfig,
  permissionDenialStyles,
  type AccessConfig,
  type PermissionDenialStyle,
} from "./accessConfig.js";
export type { DeviceCodeStatus, DeviceCodeSummary } from "./login/deviceCodes.js";
export { directoryRoles, type DirectoryRoleName } from "./state/directoryRoles.js";
export {
  defaultFaultConfig,
  faultKinds,
  type FaultConfig,
  type FaultConfigInput,
  type FaultKind,
  type FaultScope,
  type LatencyConfig,
  type LatencyMode,
} from "./faults/faultConfig.js";
export type {
  ClientApplicationSeed,
  ClientSecretSeed,
  SeedRequest,
  SeedResult,
  SynchronizationObjectSeed,
  TargetClientSeed,
  TenantSeed,
  UserSeed,
} from "./state/seed.js";
export type {
  ClientApplicationRecord,
  ClientSecretRecord,
  SynchronizationObjectRecord,
  SynchronizationSecretRecord,
  TargetClientRecord,
  TenantRecord,
  UserRecord,
} from "./state/model.js";
export type {
  MaskedAuthorizationCode,
  MaskedClientApplication,
  MaskedState,
  MaskedSynchronizationObject,
  MaskedSynchronizationSecret,
  MaskedTargetClient,
} from "./state/maskedState.js";
export { graphResources, type GraphResource } from "./tokens/graphResources.js";

