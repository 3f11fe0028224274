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

/** `graph-sync authorize` against `emulator`'s target, without opening a browser: the command line after `graph-sync`. */
export function authorizeCommandLine(emulator: RunningEmulator, redirectUri: string, extra: readonly string[] = []): string[] {
  return [
    "authorize",
    "--service-principal",
    emulator.servicePrincipalId,
    "--authorization-url",
    emulator.target.authorizeUrl,
    "--token-url",
    emulator.target.tokenUrl,
    "--client-id",
    emulator.target.clientId,
    "--redirect-uri",
    redirectUri,
    "--graph-url",
    emulator.graphUrl,
    "--no-browser",
    ...extra,
  ];
}

/** The environment `graph-sync authorize` reads to reach `emulator`: {@link emulatorEnv} and the target's client secret. */
export function authorizeEnv(emulator: RunningEmulator): Record<string, string> {
  return { ...emulatorEnv(emulator), GRAPH_SYNC_TARGET_CLIENT_SECRET: emulator.target.clientSecret };
}
