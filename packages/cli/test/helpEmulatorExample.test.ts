// The help's "against a local emulator" example, copied out of `graph-sync help acquire-token` and
// run as written by bash against `graph-sync-emulator` started as a user starts it: its own process,
// default ports. Only what the example leaves to the reader is supplied: the service principal's id
// for `<id>`, the emulator's CA as ./ca.pem, a code in ./secrets.json and the app's AZURE_* values.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runProcess, startProcess, type StartedProcess } from "@graph-sync/test-support";
import { packageRoot, spawnCli } from "./support/spawnCli.js";

const repoRoot = resolve(packageRoot, "../..");
const emulatorBin = join(repoRoot, "packages/emulator/bin/graph-sync-emulator.js");
const EXAMPLE_NOTE = "(against a local emulator)";

interface EmulatorFacts {
  caCertPath: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  servicePrincipalId: string;
  target: { authorizationRequestUrl: string; redirectUri: string };
}

let emulator: StartedProcess;
let facts: EmulatorFacts;
let scratch: string;
/**
 * Starts the emulator without --port: the example must name the ports it takes by default. Another
 * test running at the same time may hold them for a moment (a README command run as written), so a
 * start that finds them taken is tried again, for at most 30 s.
 */
async function startOnDefaultPorts(): Promise<StartedProcess> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      // --auto-consent: the code comes from a GET of the authorization URL, without the consent page.
      return await startProcess(process.execPath, [emulatorBin, "--quiet", "--auto-consent"], { name: "graph-sync-emulator (default ports)", lineName: "JSON line" });
    } catch (error) {
      if (!String(error).includes("EADDRINUSE") || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "graph-sync-help-example-"));
  emulator = await startOnDefaultPorts();
  facts = JSON.parse(emulator.firstLine) as EmulatorFacts;
}, 45_000);
afterAll(async () => {
  await emulator?.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** The example's command: its lines joined at the trailing backslash, the note after it dropped. */
function emulatorExample(help: string): string {
  const lines = help.split("\n");
  const last = lines.findIndex((line) => line.includes(EXAMPLE_NOTE));
  expect(last, `graph-sync help acquire-token has no example marked ${EXAMPLE_NOTE}`).toBeGreaterThan(0);
  let first = last;
  while (lines[first - 1]?.trimEnd().endsWith("\\")) first -= 1;
  return lines
    .slice(first, last + 1)
    .join("\n")
    .replace(EXAMPLE_NOTE, "")
    .trim();
}

/** An authorization code from the emulated target, as its authorizationRequestUrl hands it out. */
async function authorizationCode(): Promise<string> {
  const response = await fetch(facts.target.authorizationRequestUrl, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
  const code = new URL(response.headers.get("location") ?? "", "http://unused").searchParams.get("code");
  expect(code, `the target answered ${response.status} without a code`).toBeTruthy();
  return code!;
}

test("the help's emulator example, run as written, is accepted by an emulator on its default ports", { timeout: 60_000 }, async () => {
  const help = await spawnCli(["help", "acquire-token"]);
  expect(help.code).toBe(0);
  const example = emulatorExample(help.stdout);
  expect(example).toContain("<id>");

  const code = await authorizationCode();
  await copyFile(facts.caCertPath, join(scratch, "ca.pem"));
  await writeFile(join(scratch, "secrets.json"), JSON.stringify({ Oauth2AuthorizationCode: code, Oauth2RedirectUri: facts.target.redirectUri }), { mode: 0o600 });

  const run = await runProcess("bash", ["-c", example.replace("<id>", facts.servicePrincipalId)], {
    cwd: scratch,
    env: {
      // The workspace's bins, on this Node (the bins' `#!/usr/bin/env node` takes the first on PATH).
      PATH: `${dirname(process.execPath)}:${join(repoRoot, "node_modules/.bin")}:${process.env["PATH"] ?? ""}`,
      AZURE_TENANT_ID: facts.tenantId,
      AZURE_CLIENT_ID: facts.clientId,
      AZURE_CLIENT_SECRET: facts.clientSecret,
    },
  });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`Graph accepted the credentials for service principal ${facts.servicePrincipalId} (204 No Content).`);
  for (const secret of [code, facts.clientSecret]) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
});
