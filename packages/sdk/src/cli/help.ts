import { SDK_VERSION } from "../constants.js";
import { betaDeprecation } from "../generated/betaDeprecation.js";
import { synchronizationSecretKeys } from "../validation/secretKeys.js";
import { CREDENTIALS_ENV_VAR } from "./readCredentialsInput.js";

/** How --api-version beta is described: from Graph's beta description, so it follows a new date. */
const BETA_NOTE = betaDeprecation ? `deprecated by Graph, removal ${betaDeprecation.removalDate}` : "Graph's preview version";

/**
 * The secret names the JSON may use, from Graph's enum (through the generated client and schema),
 * wrapped to the help's width: a member Graph adds shows up here after `npm run generate`.
 */
function secretKeyLines(indent: string, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const key of synchronizationSecretKeys) {
    const next = line === "" ? key : `${line}, ${key}`;
    if (indent.length + next.length + 1 > width && line !== "") {
      lines.push(`${indent}${line},`);
      line = key;
    } else {
      line = next;
    }
  }
  if (line !== "") lines.push(`${indent}${line}`);
  return lines.join("\n");
}

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    Graph failed (5xx) or answered something unexpected
  2    wrong usage, invalid input or configuration (nothing was sent)
  3    authentication: no token (AADSTS… from Entra ID) or Graph answered 401
  4    permission: Graph answered 403, or the synchronization service 401 UnknownError
  5    not found: Graph answered 404 (wrong id, or the wrong kind of id)
  6    throttled: Graph answered 429 for as long as the call could wait
  7    network: no answer (connection failed, or a timeout)
  8    rejected: Graph refused the request (another 4xx, e.g. a spent authorization code)
  130  interrupted (Ctrl+C)`;

export const MAIN_HELP = `graph-sync ${SDK_VERSION} — Microsoft Graph synchronization: acquireAccessToken from the command line.
Authorizes the Microsoft Entra provisioning service for an OAuth-based target application.

Usage:
  graph-sync acquire-token (--service-principal <id> | --application <id>) [options]
  graph-sync help [command] | --help | --version

Commands:
  acquire-token   hand OAuth credentials (an authorization code, …) to Graph for a service principal or application

Run "graph-sync help acquire-token" for its options and examples.

${EXIT_CODES_HELP}
`;

export const ACQUIRE_TOKEN_HELP = `Usage: graph-sync acquire-token (--service-principal <id> | --application <id>) [options]

Sends the credentials to POST /servicePrincipals/{id}/synchronization/acquireAccessToken
(or /applications/{id}/…). Graph answers 204 when the provisioning service has stored the tokens.

Target (exactly one):
  --service-principal <id>   object id of the service principal (Enterprise applications → Object ID)
  --application <id>         object id of the app registration (App registrations → Object ID,
                             not the Application (client) ID)

Credentials (exactly one source; never as command-line values, which other users can read):
  --credentials-file <path>  a JSON file with the secrets
  --credentials-file -       the same JSON on stdin
  ${CREDENTIALS_ENV_VAR}     environment variable with the same JSON
  The JSON is an object keyed by secret name, or a list of key/value pairs
  (schema: schema/credentials.schema.json in the package):
    {"Oauth2AuthorizationCode": "<code>", "Oauth2RedirectUri": "https://app.example/callback"}
    [{"key": "Oauth2AuthorizationCode", "value": "<code>"}]
  Secret names (${synchronizationSecretKeys.length}, case-sensitive, as Graph's synchronizationSecret enum has them):
${secretKeyLines("    ")}

Who calls Graph:
  an app (default), from the environment: AZURE_TENANT_ID, AZURE_CLIENT_ID, and AZURE_CLIENT_SECRET
    or AZURE_CLIENT_CERTIFICATE_PATH (AZURE_CLIENT_CERTIFICATE_PASSWORD, AZURE_AUTHORITY_HOST optional).
    It needs one application permission, least privileged first: Application.ReadWrite.OwnedBy as an
    owner of the object itself, Synchronization.ReadWrite.All, or Directory.ReadWrite.All (grants far more).
  a signed-in administrator, with --device-code: AZURE_TENANT_ID and AZURE_CLIENT_ID of an app that
    allows public client flows, with the delegated Synchronization.ReadWrite.All consented. Open the
    page and enter the code printed on stderr. The user needs one of the roles Application Administrator,
    Cloud Application Administrator or Hybrid Identity Administrator.

Options:
  --device-code              sign in as a user with the device code flow instead of using an app's secret
  --cloud <name>             global (default), usgov, usgov-dod (not available in china)
  --api-version <version>    v1.0 (default) or beta (${BETA_NOTE})
  --graph-url <url>          send requests to this Graph root instead (an emulator or a proxy)
                             (default: GRAPH_SYNC_GRAPH_URL, else the cloud's Graph)
  --authority-host <url>     Entra ID authority for the token (default: AZURE_AUTHORITY_HOST, else the cloud's)
  --json                     print the result or the error as JSON on stdout
  --verbose                  log attempts, retries and waits on stderr
  --trace                    print the call's OpenTelemetry span tree (redacted) on stderr, for a support ticket
  -h, --help                 show this help

Examples:
  graph-sync acquire-token --service-principal 8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b --credentials-file ./secrets.json
  ./get-code.sh | graph-sync acquire-token --application 1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9 --credentials-file - --json
  ${CREDENTIALS_ENV_VAR}="$(cat secrets.json)" graph-sync acquire-token --service-principal 8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b --cloud usgov
  graph-sync acquire-token --device-code --service-principal 8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b --credentials-file ./secrets.json
  NODE_EXTRA_CA_CERTS=ca.pem graph-sync acquire-token --service-principal <id> --graph-url http://127.0.0.1:8080 \\
    --authority-host https://localhost:8443 --credentials-file ./secrets.json      (against a local emulator)

${EXIT_CODES_HELP}
`;
