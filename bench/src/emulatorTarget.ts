// The emulator as a bench target: real tokens from its Entra ID, real codes from its OAuth target.
import type { RunningEmulator } from "@graph-sync/emulator";
import type { BenchTarget } from "./target.ts";

export async function emulatorTarget(emulator: RunningEmulator, servicePrincipalIds = [emulator.servicePrincipalId]): Promise<BenchTarget> {
  return {
    name: "emulator",
    graphOrigin: emulator.graphUrl,
    graphHttpsOrigin: emulator.graphHttpsUrl,
    auth: {
      kind: "entra",
      loginUrl: emulator.loginUrl,
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
    },
    servicePrincipalIds,
    authorizationCodes: async (servicePrincipalId, count) => {
      const codes: string[] = [];
      for (let index = 0; index < count; index++) codes.push(await emulator.getAuthorizationCode(servicePrincipalId));
      return codes;
    },
  };
}
