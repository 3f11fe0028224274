import { parseArgs } from "node:util";
import type { FaultConfigInput, FaultKind, FaultScope, LatencyMode } from "../faults/faultConfig.js";
import { faultKinds } from "../faults/faultConfig.js";
import type { RetryAfterFormat, ThrottleScope, ThrottlingConfig } from "../throttling/throttlingConfig.js";
import { retryAfterFormats, throttleScopes } from "../throttling/throttlingConfig.js";
import type { ConfigFileSettings } from "./configFile.js";
import { permissionDenialStyles, type AccessConfig, type PermissionDenialStyle } from "../accessConfig.js";

/** The Graph port when none is given; the other hosts follow it (see {@link usage}). */
export const defaultGraphPort = 8480;

export const usage = `Usage: graph-sync-emulator [options]

A local Microsoft Graph + Entra ID emulator for synchronization: acquireAccessToken.
When ready it prints one JSON line with its URLs and demo credentials on stdout; logs go to stderr.

Ports (all on 127.0.0.1):
  --port <n>               Graph, HTTP (default ${defaultGraphPort}; 0 = free ports for every host)
  --login-port <n>         Entra login host, HTTPS (default: --port + 1)
  --admin-port <n>         admin API, HTTP (default: --port + 2)
  --target-port <n>        OAuth provisioning target, HTTP (default: --port + 3)
  --graph-https-port <n>   Graph, HTTPS (default: --port + 4)
State:
  --data <dir>             keep state, keys and certificates here (default: in memory)
  --no-seed                do not seed the demo tenant into a new state
  --seed <file>            YAML or JSON with what POST /seed takes (apps, users, roles, owners),
                           applied at every start
  --config <file>          YAML or JSON file with any of the settings (flags win)
Throttling (per app+tenant; default on, 3500 requests per 10 s and 3000 writes per 150 s):
  --throttling <on|off>
  --throttle-scope <scope> who waits after a 429: app (default: every caller of the app in the
                           tenant, until the window ends, as Graph documents) | request (only the
                           caller with that client-request-id, whose wait restarts if it retries
                           early)
  --throttle-limit <n>     requests (resource units) per window
  --throttle-window <s>    window length in seconds
  --throttle-write-limit <n>   writes per write window
  --throttle-write-window <s>  write window length in seconds
  --retry-after <format>   ${retryAfterFormats.join(" | ")} (default integer)
Access:
  --permission-denial <style>       unknown-error (default: 401 UnknownError, as users report it)
                                    | forbidden (Graph's generic 403 Authorization_RequestDenied)
  --auto-approve-device-codes <user>  approve every device code at once as this user (UPN or id)
  --auto-consent                    the target redirects with a code at once, without its consent
                                    page (for scripts; a person opening the URL sees the page)
Faults (default none):
  --fault-rate <0..1>      share of requests that get a fault
  --fault-seed <n>         seed of the reproducible fault sequence
  --fault-kinds <list>     comma-separated: ${faultKinds.join(",")}
  --fault-scope <scope>    graph | login | all (default graph)
  --latency <mode>         fixed | uniform | long-tail
  --latency-ms <n>         fixed delay / uniform minimum / long-tail median
  --latency-max-ms <n>     uniform maximum / long-tail cap
Handing the values over:
  --print-env              after the JSON line, print shell export lines to paste into another terminal:
                           AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_AUTHORITY_HOST, NODE_EXTRA_CA_CERTS,
                           GRAPH_SYNC_GRAPH_URL (graph-sync's --graph-url), GRAPH_SYNC_SERVICE_PRINCIPAL_ID,
                           GRAPH_SYNC_APPLICATION_ID, GRAPH_SYNC_REDIRECT_URI, GRAPH_SYNC_EMULATOR_ADMIN_URL,
                           GRAPH_SYNC_EMULATOR_AUTHORIZATION_REQUEST_URL; the client secret only as a
                           comment that says how to get it
  --print-env-with-secret  the same, with export AZURE_CLIENT_SECRET=… (pasted lines end up in shell history)
Approving a device code (graph-sync acquire-token --device-code, DeviceCodeCredential):
  the user approves it through the admin API, POST <adminUrl>/device-codes/approve with
  {"userCode": "…", "user": "<UPN>"} (the demo tenant's user is admin@graphsyncdemo.onmicrosoft.com;
  the README has the curl command), or --auto-approve-device-codes <user> approves every new code at
  once as that user.
Other:
  --quiet                  no log lines on stderr, except security warnings (a key or state
                           file found readable by other users and made private) and the
                           error that stops the emulator
  --help, --version
`;

/** What the command line asks for. */
export type CommandLine =
  | { command: "help" }
  | { command: "version" }
  | {
      command: "start";
      configFile?: string;
      seedFile?: string;
      quiet: boolean;
      /** Export lines after the JSON line (--print-env), with the client secret (--print-env-with-secret). */
      printEnv: "no" | "without-secret" | "with-secret";
      settings: ConfigFileSettings;
    };

/** Raised for a command line that cannot be understood; the message says why. */
export class CommandLineError extends Error {
  override readonly name = "CommandLineError";
}

/**
 * Parses the arguments into settings that override the config file's. Only what was given is set,
 * so the config file (and then the defaults) fill in the rest.
 */
export function parseCommandLine(args: string[]): CommandLine {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        "login-port": { type: "string" },
        "admin-port": { type: "string" },
        "target-port": { type: "string" },
        "graph-https-port": { type: "string" },
        data: { type: "string" },
        "no-seed": { type: "boolean" },
        seed: { type: "string" },
        config: { type: "string" },
        throttling: { type: "string" },
        "throttle-scope": { type: "string" },
        "throttle-limit": { type: "string" },
        "throttle-window": { type: "string" },
        "retry-after": { type: "string" },
        "throttle-write-limit": { type: "string" },
        "throttle-write-window": { type: "string" },
        "fault-rate": { type: "string" },
        "fault-seed": { type: "string" },
        "fault-kinds": { type: "string" },
        "fault-scope": { type: "string" },
        latency: { type: "string" },
        "latency-ms": { type: "string" },
        "latency-max-ms": { type: "string" },
        "permission-denial": { type: "string" },
        "auto-approve-device-codes": { type: "string" },
        "auto-consent": { type: "boolean" },
        quiet: { type: "boolean" },
        "print-env": { type: "boolean" },
        "print-env-with-secret": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new CommandLineError((error as Error).message);
  }
  if (values.help) return { command: "help" };
  if (values.version) return { command: "version" };

  const settings: ConfigFileSettings = {};
  const setPort = (name: string, value: string | undefined, key: "port" | "loginPort" | "adminPort" | "targetPort" | "graphHttpsPort") => {
    if (value !== undefined) settings[key] = integer(name, value, 0, 65535);
  };
  setPort("--port", values.port, "port");
  setPort("--login-port", values["login-port"], "loginPort");
  setPort("--admin-port", values["admin-port"], "adminPort");
  setPort("--target-port", values["target-port"], "targetPort");
  setPort("--graph-https-port", values["graph-https-port"], "graphHttpsPort");
  if (values.data !== undefined) settings.dataDir = values.data;
  if (values["no-seed"]) settings.seedDemo = false;
  if (values["auto-consent"]) settings.autoConsent = true;

  const throttling: Partial<ThrottlingConfig> = {};
  if (values.throttling !== undefined) throttling.enabled = oneOf("--throttling", values.throttling, ["on", "off"]) === "on";
  if (values["throttle-scope"] !== undefined) throttling.scope = oneOf("--throttle-scope", values["throttle-scope"], throttleScopes) as ThrottleScope;
  if (values["throttle-limit"] !== undefined) throttling.limit = integer("--throttle-limit", values["throttle-limit"], 1);
  if (values["throttle-window"] !== undefined) throttling.windowSeconds = number("--throttle-window", values["throttle-window"], 0.001, 3600);
  if (values["throttle-write-limit"] !== undefined) throttling.writeLimit = integer("--throttle-write-limit", values["throttle-write-limit"], 1);
  if (values["throttle-write-window"] !== undefined) {
    throttling.writeWindowSeconds = number("--throttle-write-window", values["throttle-write-window"], 0.001, 3600);
  }
  if (values["retry-after"] !== undefined) throttling.retryAfterFormat = oneOf("--retry-after", values["retry-after"], retryAfterFormats) as RetryAfterFormat;
  if (Object.keys(throttling).length > 0) settings.throttling = throttling;

  const access: Partial<AccessConfig> = {};
  if (values["permission-denial"] !== undefined) {
    access.permissionDenial = oneOf("--permission-denial", values["permission-denial"], permissionDenialStyles) as PermissionDenialStyle;
  }
  if (values["auto-approve-device-codes"] !== undefined) {
    if (values["auto-approve-device-codes"].trim() === "") throw new CommandLineError("--auto-approve-device-codes takes a user principal name or object id.");
    access.autoApproveDeviceCodes = values["auto-approve-device-codes"];
  }
  if (Object.keys(access).length > 0) settings.access = access;

  const faults: FaultConfigInput = {};
  if (values["fault-rate"] !== undefined) faults.rate = number("--fault-rate", values["fault-rate"], 0, 1);
  if (values["fault-seed"] !== undefined) faults.seed = integer("--fault-seed", values["fault-seed"], Number.MIN_SAFE_INTEGER);
  if (values["fault-kinds"] !== undefined) {
    faults.kinds = values["fault-kinds"].split(",").map((kind) => oneOf("--fault-kinds", kind.trim(), faultKinds) as FaultKind);
  }
  if (values["fault-scope"] !== undefined) faults.paths = oneOf("--fault-scope", values["fault-scope"], ["graph", "login", "all"]) as FaultScope;
  const latency: NonNullable<FaultConfigInput["latency"]> = {};
  if (values.latency !== undefined) latency.mode = oneOf("--latency", values.latency, ["fixed", "uniform", "long-tail"]) as LatencyMode;
  if (values["latency-ms"] !== undefined) latency.ms = integer("--latency-ms", values["latency-ms"], 0, 600_000);
  if (values["latency-max-ms"] !== undefined) latency.maxMs = integer("--latency-max-ms", values["latency-max-ms"], 0, 600_000);
  if (Object.keys(latency).length > 0) faults.latency = latency;
  if (Object.keys(faults).length > 0) settings.faults = faults;

  const printEnv = values["print-env-with-secret"] ? "with-secret" : values["print-env"] ? "without-secret" : "no";
  const commandLine: CommandLine = { command: "start", quiet: values.quiet === true, printEnv, settings };
  if (values.config !== undefined) commandLine.configFile = values.config;
  if (values.seed !== undefined) commandLine.seedFile = values.seed;
  return commandLine;
}

/**
 * Fills in ports the user did not choose: consecutive ones after the Graph port, or free ones when
 * the Graph port is 0 (so `--port 0` never collides with another instance).
 */
export function withDefaultPorts(settings: ConfigFileSettings): ConfigFileSettings {
  const graphPort = settings.port ?? defaultGraphPort;
  const after = (offset: number) => (graphPort === 0 ? 0 : graphPort + offset);
  return {
    ...settings,
    port: graphPort,
    loginPort: settings.loginPort ?? after(1),
    adminPort: settings.adminPort ?? after(2),
    targetPort: settings.targetPort ?? after(3),
    graphHttpsPort: settings.graphHttpsPort ?? after(4),
  };
}

function integer(name: string, value: string, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(value)) throw new CommandLineError(`${name} takes an integer, not '${value}'.`);
  return inRange(name, Number(value), minimum, maximum);
}

function number(name: string, value: string, minimum: number, maximum: number): number {
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed)) throw new CommandLineError(`${name} takes a number, not '${value}'.`);
  return inRange(name, parsed, minimum, maximum);
}

function inRange(name: string, value: number, minimum: number, maximum: number): number {
  if (value < minimum || value > maximum) throw new CommandLineError(`${name} must be between ${minimum} and ${maximum}.`);
  return value;
}

function oneOf(name: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw new CommandLineError(`${name} takes one of ${allowed.join(", ")}, not '${value}'.`);
  return value;
}
