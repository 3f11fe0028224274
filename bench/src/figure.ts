// npm run figure -- <throttling|client-cost|error-body> [--contenders a,b] [--retry-after integer|fractional|http-date]
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

const { positionals, values } = parseArgs({ allowPositionals: true, options: { contenders: { type: "string" }, "retry-after": { type: "string" } } });
const figure = positionals[0];
const retryAfterFormats = ["integer", "fractional", "http-date"] as const;
const retryAfterFormat = retryAfterFormats.find((format) => format === values["retry-after"]);
if (values["retry-after"] !== undefined && !retryAfterFormat) throw new Error(`--retry-after must be one of ${retryAfterFormats.join(", ")}`);
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
    scenarios: ["tight"],
    // Graph's own form is whole seconds (the default); "fractional" shows the gate when the wait is exact.
    tightLimit: { ...fullPlan.throttling.tightLimit, ...(retryAfterFormat ? { retryAfterFormat } : {}) },
  },
  contenders,
)) {
    console.log(
      `${row.scenario} · ${row.contender}: ${(row.wallMs / 1000).toFixed(2)} s for ${row.calls} calls = ${(row.wallMs / row.minimumMs).toFixed(3)}× the least the limit allows (${row.minimumMs / 1000} s); ${row.throttledResponses} × 429; ${row.failures} failed${row.firstFailure ? ` (first: ${row.firstFailure})` : ""}; ${row.tokenRequests} token request(s)`,
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
