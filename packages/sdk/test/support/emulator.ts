import { startEmulator, type RunningEmulator } from "@graph-sync/emulator";

export type { RunningEmulator };

/** A fresh in-memory emulator with the demo tenant and throttling off (tests turn it on themselves). */
export async function startTestEmulator(): Promise<RunningEmulator> {
  const emulator = await startEmulator({ throttling: { enabled: false } });
  return emulator;
}

/** The environment the CLI and the examples read to reach `emulator`. */
export function emulatorEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    AZURE_AUTHORITY_HOST: emulator.loginUrl,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
  };
}
