import { ExitCode, parseCloud, parseCommandLine, targetFromArguments, UsageError, type CliIo, type CliOutput, type ExitCodeValue } from "@graph-sync/cli";
import { DEMO_HELP } from "./help.js";
import { runEmulatedDemo } from "./emulatedDemo.js";
import { runTenantDemo } from "./tenantDemo.js";

const demoOptions = {
  "service-principal": { type: "string" },
  "credentials-file": { type: "string" },
  cloud: { type: "string" },
  "graph-url": { type: "string" },
  "authority-host": { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseDemoArguments(args: readonly string[]) {
  return parseCommandLine("demo", args, demoOptions);
}

/** Environment variables that identify the app calling Graph on a real tenant. */
const TENANT_VARIABLES = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"] as const;

/**
 * The demo: on the in-process emulator by default; on a real tenant when
 * --service-principal is given and the AZURE_* variables are set.
 */
export async function demoCommand(
  values: ReturnType<typeof parseDemoArguments>,
  io: CliIo,
  output: CliOutput,
  signal: AbortSignal,
): Promise<ExitCodeValue> {
  if (values.help) {
    output.out(DEMO_HELP);
    return ExitCode.success;
  }
  const servicePrincipalId = values["service-principal"];
  if (servicePrincipalId === undefined) {
    const tenantOnly = (["credentials-file", "cloud", "graph-url", "authority-host"] as const).filter((name) => values[name] !== undefined);
    if (tenantOnly.length > 0) {
      throw new UsageError(`${tenantOnly.map((name) => `--${name}`).join(", ")}: only for the real-tenant demo; add --service-principal <object id>.`);
    }
    return runEmulatedDemo(output, signal);
  }
  const missing = TENANT_VARIABLES.filter((name) => !io.env[name]);
  if (missing.length > 0) {
    throw new UsageError(`The real-tenant demo needs ${missing.join(", ")} in the environment (the app that calls Graph).`);
  }
  targetFromArguments({ "service-principal": servicePrincipalId });
  return runTenantDemo(
    {
      target: { servicePrincipalId },
      cloud: parseCloud(values.cloud),
      credentialsFile: values["credentials-file"],
      graphUrl: values["graph-url"],
      authorityHost: values["authority-host"],
    },
    io,
    output,
    signal,
  );
}
