// What a figure runs against: the minimal loopback server or the emulator.
import type { AuthSetup } from "./contenders.ts";
import type { Job } from "./load.ts";

export interface BenchTarget {
  name: string;
  graphOrigin: string;
  graphHttpsOrigin?: string;
  auth: AuthSetup;
  servicePrincipalIds: string[];
  /** Fresh single-use authorization codes for one service principal's provisioning target. */
  authorizationCodes(servicePrincipalId: string, count: number): Promise<string[]>;
}

/** `count` jobs spread round-robin over the target's service principals, each with its own code. */
export async function makeJobs(target: BenchTarget, count: number, servicePrincipalIds = target.servicePrincipalIds): Promise<Job[]> {
  const perPrincipal = Math.ceil(count / servicePrincipalIds.length);
  const codes = await Promise.all(servicePrincipalIds.map((id) => target.authorizationCodes(id, perPrincipal)));
  return Array.from({ length: count }, (_, index) => {
    const principal = index % servicePrincipalIds.length;
    return {
      servicePrincipalId: servicePrincipalIds[principal]!,
      authorizationCode: codes[principal]![Math.floor(index / servicePrincipalIds.length)]!,
    };
  });
}

/** The minimal server accepts anything, so any id and code will do; the token is never checked. */
export function minimalServerTarget(origin: string): BenchTarget {
  return {
    name: "minimal server",
    graphOrigin: origin,
    auth: { kind: "static", token: "bench-static-token" },
    servicePrincipalIds: ["7d3a2b7e-5f0f-4c59-9c1a-0b5b8d1e2f30"],
    authorizationCodes: async (_id, count) => Array.from({ length: count }, (_, index) => `code-${index}`),
  };
}
