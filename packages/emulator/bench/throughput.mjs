// Throughput and latency of the emulated acquireAccessToken, end to end over loopback (each call
// redeems a code at the emulated target and stores the tokens), at concurrency 1, 16 and 64 with
// throttling off. Not a test: it measures and prints, it asserts nothing.
//
//   npm run bench                      (builds first)
//   node bench/throughput.mjs --requests 4000 --concurrency 1,8,64 [--data <dir>]
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { startEmulator } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "1,16,64" },
    data: { type: "string" },
  },
});
const requestsPerLevel = Number(values.requests);
const levels = values.concurrency.split(",").map(Number);

// Codes are fetched before each level: auto-consent keeps that to one GET per code.
const emulator = await startEmulator({
  throttling: { enabled: false },
  autoConsent: true,
  ...(values.data ? { dataDir: values.data } : {}),
});

try {
  const token = await fetchToken();
  const url = `${emulator.graphUrl}/v1.0/servicePrincipals/${emulator.servicePrincipalId}/synchronization/acquireAccessToken`;
  console.log(`acquireAccessToken, ${requestsPerLevel} requests per level${values.data ? `, data dir ${values.data}` : ", in memory"}`);
  console.log("concurrency   requests/s    p50 ms    p99 ms    max ms   errors");
  for (const concurrency of levels) {
    // Codes are fetched before the clock starts: only the action itself is measured.
    const codes = await inBatches(requestsPerLevel, 32, () => emulator.getAuthorizationCode());
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const latencies = [];
    let errors = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < codes.length) {
          const code = codes[next++];
          const body = JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: code }] });
          const sent = performance.now();
          const status = await post(agent, url, token, body);
          latencies.push(performance.now() - sent);
          if (status !== 204) errors += 1;
        }
      }),
    );
    const elapsedInSeconds = (performance.now() - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const at = (quantile) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))];
    console.log(
      [
        String(concurrency).padStart(11),
        (codes.length / elapsedInSeconds).toFixed(0).padStart(12),
        at(0.5).toFixed(2).padStart(9),
        at(0.99).toFixed(2).padStart(9),
        at(1).toFixed(2).padStart(9),
        String(errors).padStart(8),
      ].join(" "),
    );
  }
} finally {
  await emulator.close();
}

async function fetchToken() {
  // The login host is HTTPS with the emulator's own CA; node:https takes the CA per request.
  const { request: httpsRequest } = await import("node:https");
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: emulator.clientId,
    client_secret: emulator.clientSecret,
    scope: "https://graph.microsoft.com/.default",
  }).toString();
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      `${emulator.loginUrl}/${emulator.tenantId}/oauth2/v2.0/token`,
      { method: "POST", ca: emulator.caCertPem, headers: { "Content-Type": "application/x-www-form-urlencoded" } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve(JSON.parse(text).access_token));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function post(agent, url, token, body) {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: "POST",
        agent,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

async function inBatches(count, batchSize, make) {
  const results = [];
  for (let start = 0; start < count; start += batchSize) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(batchSize, count - start) }, make))));
  }
  return results;
}
