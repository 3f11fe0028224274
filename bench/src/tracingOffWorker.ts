// Figure 6, tracing off: the CPU the SDK's telemetry spends on one call when no OpenTelemetry SDK
// is registered (the default), measured directly. It runs, many times, exactly the telemetry one
// successful single-attempt call goes through (call span, Kiota's context, the attempt span and
// its traceparent, the token event, the attempt's metrics, the outcome), from the built SDK: the
// telemetry is internal, so it is not reachable through the package's exports.
// Input: argv[2] = iterations; output: one JSON line { cpuPerCallUs } on stdout.
import { CallTelemetry } from "../../packages/sdk/dist/call/telemetry.js";

const iterations = Number(process.argv[2]);
const init = {
  target: { kind: "servicePrincipal" as const, id: "8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b" },
  apiVersion: "v1.0" as const,
  cloud: "global" as const,
  graphUrl: "http://127.0.0.1:8080/v1.0",
  clientRequestId: "0f6d7c2e-5b1a-4c3d-9e8f-7a6b5c4d3e2f",
  secrets: ["an-authorization-code-value"],
};
const headers = new Headers({ "request-id": "4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d" });
const noop = () => Promise.resolve();

async function oneCall(): Promise<void> {
  const telemetry = new CallTelemetry(init);
  await telemetry.runKiota(async () => {
    telemetry.runInCall(noop);
    telemetry.tokenAcquired(1);
    const requestInit: RequestInit = { method: "POST", headers: { "content-type": "application/json" } };
    const attempt = telemetry.startAttempt(0, requestInit);
    await attempt.run(noop);
    attempt.end(204, headers);
  });
  telemetry.succeed(1);
}

// Warm-up (JIT), then the measurement.
for (let i = 0; i < Math.min(iterations, 20_000); i++) await oneCall();
const before = process.cpuUsage();
for (let i = 0; i < iterations; i++) await oneCall();
const cpu = process.cpuUsage(before);
process.stdout.write(`${JSON.stringify({ cpuPerCallUs: (cpu.user + cpu.system) / iterations })}\n`);
