// What the tests of every graph-sync package share. Tests import it from source (vitest and tsc
// resolve @graph-sync/test-support to this file); it is never built or published.
export { rejectionOf, thrownBy } from "./capture.js";
export {
  graphError,
  noContent,
  rawAnswer,
  resetConnection,
  stall,
  startGraphServer,
  useGraphServer,
  type GraphServer,
  type Handler,
  type RecordedRequest,
} from "./graphServer.js";
export {
  authorizeCommandLine,
  authorizeEnv,
  emulatorEnv,
  startEmulator,
  startTestEmulator,
  type PermissionDenialStyle,
  type RunningEmulator,
} from "./emulator.js";
export { runProcess, startProcess, type ProcessRun, type RunProcessOptions, type StartedProcess, type StartProcessOptions } from "./processes.js";
export { answerConsentPage } from "./consentPage.js";
export { startInteractiveProcess, type InteractiveProcess, type InteractiveProcessOptions } from "./interactiveProcess.js";
