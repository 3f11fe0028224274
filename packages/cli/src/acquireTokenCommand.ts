import { createCredentialFromEnvironment, createSyncClient, type SynchronizationSecretEntry, type SyncTarget } from "@graph-sync/sdk";
import { describeTarget, validateTarget, validateTogether, type ResolvedTarget } from "@graph-sync/sdk/tooling";
import type { CliIo, CliOutput } from "./cliIo.js";
import { connectionOptions, graphRootOf, graphUrlFrom, parseApiVersion, parseCloud } from "./commonOptions.js";
import { createDeviceCodeCredential } from "./deviceCodeCredential.js";
import { ExitCode, type ExitCodeValue } from "./exitCodes.js";
import { ACQUIRE_TOKEN_HELP } from "./help.js";
import { parseCommandLine } from "./parseCommandLine.js";
import { readCredentials } from "./readCredentialsInput.js";
import { startCliTracing } from "./traceTree.js";
import { UsageError } from "./usageError.js";

const acquireTokenOptions = {
  ...connectionOptions,
  "service-principal": { type: "string" },
  application: { type: "string" },
  "credentials-file": { type: "string" },
  "device-code": { type: "boolean" },
  trace: { type: "boolean" },
} as const;

/** `acquire-token`'s command line, parsed without echoing any value (see parseCommandLine). */
export function parseAcquireTokenArguments(args: readonly string[]) {
  return parseCommandLine("acquire-token", args, acquireTokenOptions);
}

/**
 * The target from --service-principal / --application: exactly one, a GUID, checked by the SDK's
 * own validateTarget (the SDK checks it again on the call; here it fails before any sign-in).
 */
export function targetFromArguments(values: { "service-principal"?: string | undefined; application?: string | undefined }): {
  target: SyncTarget;
  resolved: ResolvedTarget;
} {
  const servicePrincipalId = values["service-principal"];
  const applicationId = values.application;
  if (servicePrincipalId !== undefined && applicationId !== undefined) {
    throw new UsageError("Give either --service-principal or --application, not both.");
  }
  if (servicePrincipalId === undefined && applicationId === undefined) {
    throw new UsageError("Say whose synchronization to authorize: --service-principal <object id> or --application <object id>.");
  }
  const target: SyncTarget = servicePrincipalId !== undefined ? { servicePrincipalId } : { applicationId: applicationId as string };
  return { target, resolved: validateTarget(target) };
}

/** `graph-sync acquire-token`: one acquireAccessToken call with credentials from a file, stdin or the environment. */
export async function acquireTokenCommand(
  values: ReturnType<typeof parseAcquireTokenArguments>,
  io: CliIo,
  output: CliOutput,
  signal: AbortSignal,
): Promise<ExitCodeValue> {
  if (values.help) {
    output.out(ACQUIRE_TOKEN_HELP);
    return ExitCode.success;
  }
  const cloud = parseCloud(values.cloud);
  const apiVersion = parseApiVersion(values["api-version"]);
  // The SDK's validators, run here too so that a mistake in the file is reported before a sign-in
  // (and so the values are known to redact from everything printed); a wrong id and a wrong key together.
  const [{ target, resolved }, credentials] = await validateTogether(() => targetFromArguments(values), () => readCredentials(values["credentials-file"], io, output));
  return sendCredentialsToGraph({ values, target, resolved, cloud, apiVersion, credentials }, io, output, signal);
}

/**
 * The Graph half of acquire-token, which `authorize` shares so that Graph is called the same way:
 * the caller (an app from the environment, or --device-code), the client, --json and the result.
 */
export async function sendCredentialsToGraph(
  call: {
    values: Pick<ReturnType<typeof parseAcquireTokenArguments>, "authority-host" | "device-code" | "graph-url" | "trace" | "json">;
    target: SyncTarget;
    resolved: ResolvedTarget;
    cloud: ReturnType<typeof parseCloud>;
    apiVersion: ReturnType<typeof parseApiVersion>;
    credentials: SynchronizationSecretEntry[];
  },
  io: CliIo,
  output: CliOutput,
  signal: AbortSignal,
): Promise<ExitCodeValue> {
  const { values, target, resolved, cloud, apiVersion, credentials } = call;
  const authority = {
    ...(cloud && { cloud }),
    ...(values["authority-host"] && { authorityHost: values["authority-host"] }),
  };
  // --device-code: a signed-in administrator instead of the app itself. The prompt goes to stderr,
  // so stdout stays the result (or --json).
  const credential = values["device-code"]
    ? await createDeviceCodeCredential({ env: io.env, ...authority, prompt: (message) => output.err(message) })
    : await createCredentialFromEnvironment({ env: io.env, ...authority });
  // Graph's request-id of every attempt (null for one that got no answer), for --json: support
  // asks for them. Kept by the fetch the SDK is given, so a failed call reports them too.
  const requestIds: Array<string | null> = [];
  output.addJsonField("requestIds", requestIds);
  const graphUrl = graphUrlFrom(values, io.env);
  const client = createSyncClient({
    credential,
    ...(cloud && { cloud }),
    ...(apiVersion && { apiVersion }),
    ...(graphUrl && { baseUrl: graphUrl }),
    logger: output.logger(),
    fetch: (url, init) =>
      fetch(url, init).then(
        (response) => {
          requestIds.push(response.headers.get("request-id"));
          return response;
        },
        (error: unknown) => {
          requestIds.push(null);
          throw error;
        },
      ),
  });
  const tracing = values.trace ? await startCliTracing() : undefined;
  let result;
  try {
    result = await client.acquireAccessToken(target, credentials, { abortSignal: signal });
  } finally {
    await tracing?.finish(output);
  }
  if (values.json) {
    output.json({ ok: true, target, graphUrl: graphRootOf(client), apiVersion: client.apiVersion, ...result });
  } else {
    output.out(`✔ Graph accepted the credentials for ${describeTarget(resolved)} (204 No Content).`);
    output.out(
      `  attempts: ${result.attempts} · request-id: ${result.requestId ?? "none"} · client-request-id: ${result.clientRequestId}`,
    );
  }
  return ExitCode.success;
}
