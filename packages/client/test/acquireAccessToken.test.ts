import { startGraphServer, useGraphServer } from "@graph-sync/test-support";
import { describe, expect, it } from "vitest";
import { createTestClient, TEST_ACCESS_TOKEN } from "./support/createTestClient.js";

// Answers 204 unless a test says otherwise; its recorded requests are cleared before each test.
const server = await useGraphServer();
const client = createTestClient(`${server.url}/v1.0`);

const code = "M.C519_BAY.2.U.0b7c1c3e-authorization-code";
const body = { credentials: [{ key: "Oauth2AuthorizationCode" as const, value: code }] };

const targets = [
  {
    name: "servicePrincipals",
    call: (id: string) => client.servicePrincipals.byServicePrincipalId(id).synchronization.acquireAccessToken.post(body),
  },
  {
    name: "applications",
    call: (id: string) => client.applications.byApplicationId(id).synchronization.acquireAccessToken.post(body),
  },
];

describe.each(targets)("POST /$name/{id}/synchronization/acquireAccessToken", ({ name, call }) => {
  it("resolves on 204 after sending exactly Graph's request", async () => {
    const id = "1d7b3c1a-7c43-4f4a-9a43-5b0d2c6f1e11";

    await expect(call(id)).resolves.toBeUndefined();

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe(`/v1.0/${name}/${id}/synchronization/acquireAccessToken`);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers.authorization).toBe(`Bearer ${TEST_ACCESS_TOKEN}`);
    expect(request!.body).toBe(`{"credentials":[{"key":"Oauth2AuthorizationCode","value":"${code}"}]}`);
  });

  it("percent-encodes the id so it cannot change the path", async () => {
    await call("a b/../c?d#e%");

    expect(server.requests[0]!.url).toBe(`/v1.0/${name}/a%20b%2F..%2Fc%3Fd%23e%25/synchronization/acquireAccessToken`);
  });
});

describe("a success whose body never ends", () => {
  it("resolves without downloading it: the connection is closed after 1 MiB", async () => {
    const chunk = Buffer.alloc(64 * 1024, "x");
    let sentBytes = 0;
    const endless = await startGraphServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      const pump = (): void => {
        // Bounded on this side too: 1 GiB, far more than the client may read.
        while (!response.destroyed && sentBytes < 1024 * 1024 * 1024) {
          sentBytes += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
      };
      pump();
    });
    try {
      const endlessClient = createTestClient(`${endless.url}/v1.0`);
      await expect(
        endlessClient.servicePrincipals.byServicePrincipalId("1d7b3c1a-7c43-4f4a-9a43-5b0d2c6f1e11").synchronization.acquireAccessToken.post(body),
      ).resolves.toBeUndefined();
      // What was written before the client closed: its 1 MiB plus what the socket buffers held.
      expect(sentBytes).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await endless.close();
    }
  });
});
