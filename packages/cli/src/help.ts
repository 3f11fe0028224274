import { SDK_VERSION, synchronizationSecretKeys } from "@graph-sync/sdk";
import { betaDeprecation } from "@graph-sync/sdk/tooling";
import { CREDENTIALS_ENV_VAR } from "./readCredentialsInput.js";
import { TARGET_SECRET_ENV_VAR } from "./readTargetClientSecret.js";
import { CLI_VERSION } from "./version.js";

/** How long `authorize` waits for the browser's redirect unless --timeout says otherwise. */
export const DEFAULT_AUTHORIZE_TIMEOUT_IN_SECONDS = 300;

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

/** The exit codes' table as the help texts print it (the demo's help shares it). */
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
  9    not authorized (authorize): the target answered an error such as access_denied, the state did
       not match, or no redirect came in time; nothing was sent to Graph
  130  interrupted (Ctrl+C)`;

/** `graph-sync --help`. */
export const MAIN_HELP = `graph-sync ${CLI_VERSION} — Microsoft Graph synchronization: acquireAccessToken from the command line.
Authorizes the Microsoft Entra provisioning service for an OAuth-based target application (through @graph-sync/sdk ${SDK_VERSION}).

Usage:
  graph-sync acquire-token (--service-principal <id> | --application <id>) [options]
  graph-sync authorize (--service-principal <id> | --application <id>) --authorization-url <url> --token-url <url>
                       --client-id <id> --redirect-uri <uri> [options]
  graph-sync help [command] | --help | --version

Commands:
  acquire-token   hand OAuth credentials (an authorization code, …) to Graph for a service principal or application
  authorize       the admin center's Authorize button: sign in and consent at the target in a browser, then
                  hand the code and the target's OAuth settings to Graph

Run "graph-sync help acquire-token" or "graph-sync help authorize" for options and examples.

${EXIT_CODES_HELP}
`;

/** `graph-sync help acquire-token`: every option, the credentials' shape and the secret names Graph knows. */
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
  (schema: schema/credentials.schema.json in @graph-sync/sdk):
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
  NODE_EXTRA_CA_CERTS=ca.pem graph-sync acquire-token --service-principal <id> --graph-url http://127.0.0.1:8480 \\
    --authority-host https://localhost:8481 --credentials-file ./secrets.json      (against a local emulator)

${EXIT_CODES_HELP}
`;

export const AUTHORIZE_HELP = `Usage: graph-sync authorize (--service-principal <id> | --application <id>) --authorization-url <url>
         --token-url <url> --client-id <id> --redirect-uri <uri> [--scope <s>] [--no-browser] [--timeout <s>]

What the Entra admin center's Authorize button does, from a terminal: sends your browser to the
target application's authorization endpoint (response_type=code, a fresh random state); you sign in
there and choose Allow; the target redirects back with a single-use code; the state is checked and
the code goes to POST …/synchronization/acquireAccessToken with Oauth2AuthorizationCode,
Oauth2RedirectUri, Oauth2ClientId, Oauth2ClientSecret, Oauth2AuthorizationUri and
Oauth2TokenExchangeUri. Graph answers 204 when the provisioning service has stored the tokens.

Target (exactly one): --service-principal <id> | --application <id>, as for acquire-token.

The target application's OAuth client (from its documentation or admin portal):
  --authorization-url <url>  its authorization endpoint
  --token-url <url>          its token endpoint
  --client-id <id>           the client id it issued for provisioning
  --redirect-uri <uri>       a redirect URI registered for that client:
                             http://127.0.0.1[:port]/… or http://localhost[:port]/… (RFC 8252): this command
                               listens there for the redirect, on a free port when none is given;
                             anything else (https://portal.azure.com/TokenAuthorize): paste the address
                               the browser ends on; it is read without echo (or from stdin when piped)
  --scope <scopes>           space-separated scopes, when the target wants some
  Its client secret (never a command-line value):
  ${TARGET_SECRET_ENV_VAR}   environment variable
  --client-secret-file <path>   a file holding only the secret (- reads it from stdin)

Options:
  --no-browser               do not open a browser: print the address to open on its own line of stderr
  --timeout <s>              how long to wait for the redirect (default ${DEFAULT_AUTHORIZE_TIMEOUT_IN_SECONDS} s)
  --device-code, --cloud, --api-version, --graph-url, --authority-host, --json, --verbose, --trace
                             who calls Graph and how, exactly as for acquire-token (see its help)
  -h, --help                 show this help

Examples:
  export ${TARGET_SECRET_ENV_VAR}=…   # from the target's admin portal
  graph-sync authorize --service-principal 8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b \\
    --authorization-url https://app.example.com/oauth/authorize --token-url https://app.example.com/oauth/token \\
    --client-id 1234 --redirect-uri http://127.0.0.1/callback
  graph-sync authorize --application 1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9 --redirect-uri https://portal.azure.com/TokenAuthorize \\
    --authorization-url … --token-url … --client-id … --client-secret-file ./target-secret.txt --no-browser

${EXIT_CODES_HELP}
`;
