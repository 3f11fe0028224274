import { startEmulator, type RunningEmulator } from "@graph-sync/emulator";

// For tests that configure their own emulator (the SDK's tests have no dependency on it but this one).
export { startEmulator, type PermissionDenialStyle, type RunningEmulator } from "@graph-sync/emulator";

/** A fresh in-memory emulator with the demo tenant and throttling off (tests turn it on themselves). */
export async function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({ throttling: { enabled: false } });
}

/** The environment the CLIs and the examples read to reach `emulator`. */
export function emulatorEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    AZURE_AUTHORITY_HOST: emulator.loginUrl,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
  };
}
