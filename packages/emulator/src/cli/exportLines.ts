// What --print-env prints after the JSON line: shell `export` lines that hand the emulator's facts
// to graph-sync, @azure/identity's EnvironmentCredential and the SDK's examples in another terminal,
// so nobody copies values out of a long JSON line by hand.
import type { EmulatorFacts } from "../emulatorOptions.js";

/** The environment variable graph-sync reads as the default of `--graph-url`. */
export const GRAPH_URL_VARIABLE = "GRAPH_SYNC_GRAPH_URL";

/**
 * The export lines for `facts`, one per line, for a POSIX shell (bash, zsh, sh).
 *
 * The client secret is printed only with `withSecret` (`--print-env-with-secret`): these lines are
 * made to be pasted, so they end up in shell history and on shared screens. Without it, a comment
 * says how to get the secret instead.
 */
export function exportLines(facts: EmulatorFacts, options: { withSecret: boolean }): string {
  const secretLine =
    facts.clientSecret === ""
      ? undefined
      : options.withSecret
        ? exportLine("AZURE_CLIENT_SECRET", facts.clientSecret)
        : "# AZURE_CLIENT_SECRET is not printed: start the emulator with --print-env-with-secret to have it here, or copy clientSecret from the JSON line";
  const lines = [
    "# graph-sync-emulator: paste these lines into the shell that runs graph-sync or your code",
    exportLine("AZURE_TENANT_ID", facts.tenantId),
    exportLine("AZURE_CLIENT_ID", facts.clientId),
    secretLine,
    exportLine("AZURE_AUTHORITY_HOST", facts.loginUrl),
    exportLine("NODE_EXTRA_CA_CERTS", facts.caCertPath),
    exportLine(GRAPH_URL_VARIABLE, facts.graphUrl),
    exportLine("GRAPH_SYNC_SERVICE_PRINCIPAL_ID", facts.servicePrincipalId),
    exportLine("GRAPH_SYNC_APPLICATION_ID", facts.applicationId),
    // The redirect URI the demo target registered: what the SDK's examples send as Oauth2RedirectUri.
    exportLine("GRAPH_SYNC_REDIRECT_URI", facts.target.redirectUri),
    exportLine("GRAPH_SYNC_EMULATOR_AUTHORIZATION_REQUEST_URL", facts.target.authorizationRequestUrl),
    exportLine("GRAPH_SYNC_EMULATOR_ADMIN_URL", facts.adminUrl),
  ];
  return `${lines.filter((line) => line !== undefined).join("\n")}\n`;
}

/**
 * `export NAME='value'`: single quotes keep every character literal (a path with spaces, `$`, `&`).
 * Nothing for an empty value: without the demo tenant (`--no-seed`) there is no app to name.
 */
function exportLine(name: string, value: string): string | undefined {
  if (value === "") return undefined;
  return `export ${name}='${value.replaceAll("'", `'\\''`)}'`;
}
