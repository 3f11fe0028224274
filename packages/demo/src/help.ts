import { CREDENTIALS_ENV_VAR, EXIT_CODES_HELP } from "@graph-sync/cli";

/** The demo's --help: what it runs, on the emulator or on a real tenant. */
export const DEMO_HELP = `Usage: npm start [-- --verbose]
       npm start -- --service-principal <id> [--credentials-file <path>|-] [--cloud <name>] [options]

Without --service-principal: starts the graph-sync emulator in this process and runs the whole flow
on it: a token from the emulated Entra ID over HTTPS (ClientSecretCredential), an authorization
code from the emulated target app, acquireAccessToken for the seeded service principal and for the
application, the stored secret keys (values masked), a handled error (the spent code reused), a
throttled call that the SDK retries, and an administrator who signs in with a device code
(DeviceCodeCredential) and calls the action as themselves. Nothing leaves this machine.

With --service-principal and AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET set: runs against
your real tenant. There is no way to fetch an authorization code for you, so give the credentials
(--credentials-file, stdin or ${CREDENTIALS_ENV_VAR}) as for graph-sync acquire-token; the demo then
calls acquireAccessToken and shows the handled error of reusing the same code. Throttling is not
provoked on a real tenant.

Options:
  --service-principal <id>   run against a real tenant for this service principal
  --credentials-file <path>  credentials for the real-tenant run (- for stdin)
  --cloud <name>             the real tenant's cloud: global (default), usgov, usgov-dod
  --graph-url <url>          reach Graph through this proxy (as for graph-sync acquire-token)
  --authority-host <url>     Entra ID authority (default: AZURE_AUTHORITY_HOST, else the cloud's)
  --verbose                  also show the SDK's attempt and retry log
  -h, --help                 show this help

${EXIT_CODES_HELP}
`;
