// npm run figure -- <throttling|client-cost|error-body> [--contenders a,b] [--retry-after integer|fractional|http-date]
//   [--throttle-scope app|request] [--scenarios tight,tight-processes]
// Runs one figure at the full run's size and prints its rows; writes nothing to results/. For
// checking one change on a busy machine without the whole run (the committed results come from
// `npm run bench` only).
import { parseArgs } from "node:util";
import { CONTENDERS, type ContenderName } from "./contenders.ts";
import { measureClientCost } from "./figures/clientCost.ts";
import { measureErrorBody } from "./figures/errorBody.ts";
import { measureThrottling } from "./figures/throttling.ts";
import { startMinimalServer } from "./processes.ts";
import { minimalServerTarget } from "./target.ts";
import { fullPlan } from "./plans.ts";
import { errorBodySection } from "./report/markdown.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { contenders: { type: "string" }, "retry-after": { type: "string" }, "throttle-scope": { type: "string" }, scenarios: { type: "string" } },
});
const figure = positionals[0];
const retryAfterFormats = ["integer", "fractional", "http-date"] as const;
const retryAfterFormat = retryAfterFormats.find((format) => format === values["retry-after"]);
if (values["retry-after"] !== undefined && !retryAfterFormat) throw new Error(`--retry-after must be one of ${retryAfterFormats.join(", ")}`);
const scopes = ["app", "request"] as const;
const scope = scopes.find((candidate) => candidate === values["throttle-scope"]);
if (values["throttle-scope"] !== undefined && !scope) throw new Error(`--throttle-scope must be one of ${scopes.join(", ")}`);
const throttlingScenarios = ["tight", "tight-processes"] as const;
const scenarios = (values.scenarios?.split(",") ?? [...throttlingScenarios]) as (typeof throttlingScenarios)[number][];
for (const name of scenarios) {
  if (!(throttlingScenarios as readonly string[]).includes(name)) throw new Error(`unknown scenario ${name}; one of ${throttlingScenarios.join(", ")}`);
}
const contenders = values.contenders?.split(",") as ContenderName[] | undefined;
// sdk+node:http (the SDK over node:http's Agent instead of undici) is measured by client-cost only.
const known = figure === "client-cost" ? [...CONTENDERS, "sdk+node:http"] : CONTENDERS;
for (const name of contenders ?? []) {
  if (!(known as readonly string[]).includes(name)) throw new Error(`unknown contender ${name}; one of ${known.join(", ")}`);
}

if (figure === "throttling") {
  for (const row of await measureThrottling(
  {
    ...fullPlan.throttling,
    scenarios,
    // Graph's own form is whole seconds (the default); "fractional" shows the gate when the wait is exact.
    // Scope app (the emulator's default, as Graph enforces); "request" is the test-double convention.
    tightLimit: { ...fullPlan.throttling.tightLimit, ...(retryAfterFormat ? { retryAfterFormat } : {}), ...(scope ? { scope } : {}) },
  },
  contenders,
)) {
    console.log(
      `${row.scenario} · ${row.contender}: ${(row.wallMs / 1000).toFixed(2)} s for ${row.calls} calls = ${(row.wallMs / row.minimumMs).toFixed(3)}× the least the limit allows (${row.minimumMs / 1000} s); ${row.throttledResponses} × 429 (${((row.throttledResponses / row.calls) * 100).toFixed(1)} % of calls); ${row.failures} failed${row.firstFailure ? ` (first: ${row.firstFailure})` : ""}; ${row.tokenRequests} token request(s)`,
    );
  }
} else if (figure === "client-cost") {
  const server = await startMinimalServer();
  try {
    const rows = await measureClientCost(minimalServerTarget(server.origin), {
      ...fullPlan.minimal,
      contenders: contenders ?? [...CONTENDERS, "sdk+node:http"],
    });
    for (const row of rows) {
      console.log(
        `minimal server · c=${row.concurrency} · ${row.contender}: CPU ${row.cpuPerCallMs.median.toFixed(3)} ms/call, wall ${row.wallPerCallMs.median.toFixed(3)} ms/call, ${row.failures} failed`,
      );
    }
  } finally {
    await server.stop();
  }
} else if (figure === "error-body") {
  const rows = await measureErrorBody({ ...fullPlan.errorBody, ...(contenders ? { contenders } : {}) });
  console.log(errorBodySection(rows));
  if (rows.some((row) => row.unexpectedSuccesses > 0)) process.exitCode = 1;
} else {
  console.error("usage: npm run figure -- <throttling|client-cost|error-body> [--contenders sdk,kiota]");
  process.exitCode = 2;
}
