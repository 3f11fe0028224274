// `graph-sync authorize`, the built bin in its own process against the emulator: the loopback and
// the paste flows with the consent page answered over HTTP (test/browser drives it in Chromium),
// the redirect's errors, the timeout, and every bad input of issue 19. Nothing secret is printed.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { answerConsentPage, authorizeCommandLine, authorizeEnv, startInteractiveProcess, startTestEmulator, type InteractiveProcess, type RunningEmulator } from "@graph-sync/test-support";
import { cliPath, packageRoot, spawnCli } from "./support/spawnCli.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const portal = "https://portal.azure.com/TokenAuthorize";

function authorizeArgs(redirectUri: string, extra: string[] = []): string[] {
  return authorizeCommandLine(emulator, redirectUri, extra);
}

function env(): Record<string, string> {
  return authorizeEnv(emulator);
}

function startAuthorize(args: string[], environment: Record<string, string> = env()): InteractiveProcess {
  return startInteractiveProcess(process.execPath, [cliPath, ...args], { cwd: packageRoot, env: environment, killAfterInMs: 40_000 });
}

/** The authorization URL the command printed on a line of its own. */
const printedUrl = /^(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m;

async function tokenAcquisitions(): Promise<number> {
  return (await emulator.admin.state()).servicePrincipals.find((object) => object.id === emulator.servicePrincipalId)!.tokenAcquisitions;
}

function expectNoSecrets(output: { stdout: string; stderr: string }, secrets: string[]) {
  for (const secret of [emulator.target.clientSecret, emulator.clientSecret, ...secrets]) {
    expect(output.stdout).not.toContain(secret);
    expect(output.stderr).not.toContain(secret);
  }
}

describe("graph-sync authorize with a loopback redirect URI", () => {
  test("Allow: the listener gets the code, Graph stores the tokens, a second hit is told the sign-in is finished", async () => {
    const before = await tokenAcquisitions();
    const run = startAuthorize(authorizeArgs("http://127.0.0.1/callback"));
    const [, url] = await run.stderrMatch(printedUrl);
    const request = new URL(url!);
    expect(request.searchParams.get("response_type")).toBe("code");
    expect(request.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(request.searchParams.get("state")).toMatch(/^[\w-]{43}$/);
    const location = await answerConsentPage(url!, "allow");
    const code = new URL(location).searchParams.get("code")!;
    const first = await fetch(location);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("You can close this window");
    const second = await fetch(location).then(
      async (response) => `${response.status} ${await response.text()}`,
      () => "refused",
    );
    expect(second === "refused" || second.startsWith("409 ") ? "handled" : second).toBe("handled");
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Graph accepted the credentials");
    expect(await tokenAcquisitions()).toBe(before + 1);
    expectNoSecrets(result, [code]);
  });

  test("Deny: access_denied is reported by name with what to do, exit 9, nothing sent to Graph", async () => {
    const before = await tokenAcquisitions();
    const run = startAuthorize(authorizeArgs("http://localhost/callback"));
    const [, url] = await run.stderrMatch(printedUrl);
    await fetch(await answerConsentPage(url!, "deny"));
    const result = await run.exited;
    expect(result.code).toBe(9);
    expect(result.stderr).toContain("✖ The target answered access_denied (\"The user denied the request at the consent page.\"). The person (or the target's policy) declined.");
    expect(await tokenAcquisitions()).toBe(before);
  });

  test("a redirect with another state is refused and nothing is sent to Graph", async () => {
    const before = await tokenAcquisitions();
    const run = startAuthorize(authorizeArgs("http://127.0.0.1/callback", ["--json"]));
    const [, url] = await run.stderrMatch(printedUrl);
    const tampered = new URL(url!);
    tampered.searchParams.set("state", "someone-elses-state");
    await fetch(await answerConsentPage(tampered.toString(), "allow"));
    const result = await run.exited;
    expect(result.code).toBe(9);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 9, error: { name: "AuthorizationFlowError", reason: "state-mismatch" } });
    expect(await tokenAcquisitions()).toBe(before);
  });

  test("the --timeout ends the wait with exit 9", async () => {
    const run = startAuthorize(authorizeArgs("http://127.0.0.1/callback", ["--timeout", "1"]));
    const result = await run.exited;
    expect(result.code).toBe(9);
    expect(result.stderr).toContain("No redirect arrived within 1 s: nothing was sent to Graph.");
  });

  test("Ctrl+C ends the wait with exit 130", async () => {
    const run = startAuthorize(authorizeArgs("http://127.0.0.1/callback"));
    await run.stderrMatch(/Waiting for the target/);
    run.child.kill("SIGINT");
    const result = await run.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("Interrupted (Ctrl+C) while waiting for the target's redirect: nothing was sent to Graph.");
  });

  test("a port in use is one clear message, exit 2", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = await spawnCli(authorizeArgs(`http://127.0.0.1:${port}/callback`), { env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Port ${port} of the redirect URI is in use by another program`);
    } finally {
      blocker.close();
    }
  });
});

describe("graph-sync authorize with the portal's redirect URI (paste)", () => {
  test("the pasted address (stdin, not a terminal) gives the code; Graph stores the tokens", async () => {
    const before = await tokenAcquisitions();
    const run = startAuthorize(authorizeArgs(portal));
    const [, url] = await run.stderrMatch(printedUrl);
    await run.stderrMatch(/paste it here \(it is not shown\)/);
    const location = await answerConsentPage(url!, "allow");
    expect(location.startsWith(`${portal}?`)).toBe(true);
    run.child.stdin.end(`${location}\n`);
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(await tokenAcquisitions()).toBe(before + 1);
    expectNoSecrets(result, [new URL(location).searchParams.get("code")!]);
  });

  test("a pasted address without a code is refused, exit 9", async () => {
    const run = startAuthorize(authorizeArgs(portal));
    const [, url] = await run.stderrMatch(printedUrl);
    run.child.stdin.end(`${portal}?state=${new URL(url!).searchParams.get("state")}\n`);
    const result = await run.exited;
    expect(result.code).toBe(9);
    expect(result.stderr).toContain("That address has no authorization code (no code= in it).");
  });

  test("a spent code: the target refuses it at the exchange and Graph's refusal is reported (exit 8)", async () => {
    const run = startAuthorize(authorizeArgs(portal));
    const [, url] = await run.stderrMatch(printedUrl);
    const location = await answerConsentPage(url!, "allow");
    const code = new URL(location).searchParams.get("code")!;
    // Spend the code first, as a second use of the same redirect would.
    const spent = await fetch(emulator.target.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: portal, client_id: emulator.target.clientId, client_secret: emulator.target.clientSecret }),
    });
    expect(spent.status).toBe(200);
    run.child.stdin.end(`${location}\n`);
    const result = await run.exited;
    expect(result.code).toBe(8);
    expect(result.stderr).toContain("already been used");
    expectNoSecrets(result, [code]);
  });
});

describe("graph-sync authorize: bad input", () => {
  test.each([
    [["--redirect-uri", "http://app.example.test/callback"], "--redirect-uri must be https, or http on 127.0.0.1"],
    [["--redirect-uri", "https://portal.azure.com/TokenAuthorize#x"], "--redirect-uri must not have a fragment"],
    [["--token-url", "ftp://x"], "--token-url must be https"],
    [["--timeout", "0"], "--timeout takes a whole number of seconds from 1 to 3600"],
    [["--client-secret", "s3cr3t-value"], "Unknown option (argument"],
  ])("%j is refused before anything happens", async (change, message) => {
    const args = authorizeArgs(portal);
    const index = args.indexOf(change[0]!);
    if (index >= 0) args.splice(index, 2, ...change);
    else args.push(...change);
    const result = await spawnCli(args, { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain("s3cr3t-value");
  });

  test("without the target's client secret it says where to put it", async () => {
    const { GRAPH_SYNC_TARGET_CLIENT_SECRET: _secret, ...withoutSecret } = env();
    const result = await spawnCli(authorizeArgs(portal), { env: withoutSecret });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("No client secret for the target. Set GRAPH_SYNC_TARGET_CLIENT_SECRET, or pass --client-secret-file <path>");
  });

  test("the secret from --client-secret-file - and a pasted address cannot share stdin", async () => {
    const { GRAPH_SYNC_TARGET_CLIENT_SECRET: _secret, ...withoutSecret } = env();
    const result = await spawnCli(authorizeArgs(portal, ["--client-secret-file", "-"]), { env: withoutSecret, stdin: "secret\n" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--client-secret-file - and the pasted redirect address both need stdin");
  });

  test("help names the command", async () => {
    const result = await spawnCli(["help", "authorize"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: graph-sync authorize");
  });
});
