// An upload over the size limit gets a 413 the client can read: the emulator reads and discards the
// rest of the body (within a bound) instead of closing the connection under the client's feet. The
// emulator runs in its own process, as it does for users: in the test's process its answers and the
// client's writes would take turns on one event loop, which hides the race.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorFacts } from "../src/index.js";
import { startCli, type CliEmulator } from "./support/cliProcess.js";
import { actionUrl, getAccessToken } from "./support/emulatorClients.js";

const trials = 8;
/** Far more than loopback's socket buffers take in, so the upload is still going when the answer comes. */
const uploadSize = 4 * 1024 * 1024;
const upload = Buffer.alloc(uploadSize, 0x20);

const scratch = mkdtempSync(join(tmpdir(), "emulator-upload-test-"));
let cli: CliEmulator;
let emulator: EmulatorFacts;
let token: string;
beforeAll(async () => {
  const config = join(scratch, "emulator.yaml");
  writeFileSync(config, "maxRequestBodyInBytes: 1024\nthrottling:\n  enabled: false\n");
  cli = await startCli(["--port", "0", "--quiet", "--config", config]);
  emulator = cli.facts;
  token = await getAccessToken({ ...emulator, caCertPem: readFileSync(emulator.caCertPath, "utf8") } as never);
});
afterAll(async () => {
  await cli.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Uploads with fetch (undici), as most clients do, and reports what the caller saw. */
async function fetchUpload(url: string, headers: Record<string, string>): Promise<string> {
  try {
    const response = await fetch(url, { method: "POST", headers, body: upload, signal: AbortSignal.timeout(10_000) });
    return `${response.status} ${await response.text()}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return `failed: ${cause?.code ?? (error as Error).message}`;
  }
}

describe(`an upload of ${uploadSize / 1024 / 1024} MiB over the limit, ${trials} times each`, () => {
  it("Graph: every fetch reads the 413 in Graph's format", async () => {
    const seen: string[] = [];
    for (let trial = 0; trial < trials; trial += 1) {
      seen.push(
        await fetchUpload(actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId), {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
        }),
      );
    }
    expect(seen.filter((outcome) => !outcome.startsWith("413 {\"error\":{\"code\":\"RequestEntityTooLarge\""))).toEqual([]);
  });

  it("admin API: every fetch reads the 413", async () => {
    const seen: string[] = [];
    for (let trial = 0; trial < trials; trial += 1) {
      seen.push(await fetchUpload(`${emulator.adminUrl}/seed`, { "Content-Type": "application/json" }));
    }
    expect(seen.filter((outcome) => !outcome.startsWith("413 {\"error\":{\"code\":\"bodyTooLarge\""))).toEqual([]);
  });

  it("target host, chunked without a length: every upload reads the 413", async () => {
    const seen: string[] = [];
    for (let trial = 0; trial < trials; trial += 1) seen.push(await chunkedUpload(`${emulator.targetUrl}/token`));
    expect(seen.filter((outcome) => !outcome.startsWith("413 {\"error\":\"invalid_request\""))).toEqual([]);
  });
});

describe("an upload that goes on past the drain bound", () => {
  it("is cut off, so a client cannot make the emulator read without end", async () => {
    // A chunked upload that never ends: after the answer, the emulator reads on for a bounded time and
    // amount, then closes the connection.
    const outcome = await new Promise<string>((resolve) => {
      const request = httpRequest(`${emulator.adminUrl}/seed`, { method: "POST", headers: { "Content-Type": "application/json" } });
      let status = 0;
      request.on("response", (response) => {
        status = response.statusCode ?? 0;
        response.resume();
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (request.write(chunk)) {
          if (request.destroyed) return;
        }
      };
      request.on("drain", pump);
      request.on("error", () => resolve(`${status} then closed`));
      request.on("close", () => resolve(`${status} then closed`));
      pump();
    });
    expect(outcome).toBe("413 then closed");
    expect(cli.child.exitCode).toBeNull();
  });
});

/** A chunked upload (no Content-Length) with node:http; what the caller saw. */
function chunkedUpload(url: string): Promise<string> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve(`${response.statusCode} ${body}`));
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve(`failed: ${error.code ?? error.message}`));
    for (let offset = 0; offset < uploadSize; offset += 64 * 1024) request.write(upload.subarray(offset, offset + 64 * 1024));
    request.end();
  });
}
