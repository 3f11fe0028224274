// The pure rules behind faults and throttling, checked directly: latency distributions, the
// seeded fault sequence, and how waits are rounded to what Retry-After can say.
import { describe, expect, it } from "vitest";
import { resolveFaultConfig } from "../src/faults/faultConfig.js";
import { FaultInjector, latencyDelayInMs } from "../src/faults/faultInjector.js";
import { announcedWaitInMs, retryAfterHeader } from "../src/throttling/retryAfterHeader.js";

describe("latency", () => {
  it("is fixed, uniform within bounds, or long-tailed around the median up to the cap", () => {
    expect(latencyDelayInMs({ mode: "fixed", ms: 120, maxMs: 999 }, 0.9)).toBe(120);
    expect(latencyDelayInMs({ mode: "uniform", ms: 100, maxMs: 300 }, 0)).toBe(100);
    expect(latencyDelayInMs({ mode: "uniform", ms: 100, maxMs: 300 }, 0.5)).toBe(200);
    const longTail = { mode: "long-tail", ms: 100, maxMs: 5000 } as const;
    expect(latencyDelayInMs(longTail, 0.5)).toBe(100);
    expect(latencyDelayInMs(longTail, 0.1)).toBeLessThan(100);
    expect(latencyDelayInMs(longTail, 0.99)).toBeGreaterThan(1000);
    expect(latencyDelayInMs(longTail, 0.999999)).toBe(5000);
  });
});

describe("the fault sequence", () => {
  const sequence = (seed: number) => {
    const injector = new FaultInjector(resolveFaultConfig({ rate: 0.3, seed, kinds: ["500", "503", "reset"] }));
    return Array.from({ length: 200 }, () => injector.draw("graph")?.kind ?? "none");
  };

  it("depends only on the seed and the order of requests", () => {
    expect(sequence(5)).toEqual(sequence(5));
    expect(sequence(5)).not.toEqual(sequence(6));
  });

  it("hits roughly the configured share of requests and uses every kind", () => {
    const drawn = sequence(11);
    const faulted = drawn.filter((kind) => kind !== "none");
    expect(faulted.length).toBeGreaterThan(30);
    expect(faulted.length).toBeLessThan(90);
    expect(new Set(faulted)).toEqual(new Set(["500", "503", "reset"]));
  });

  it("leaves hosts outside its scope alone", () => {
    const injector = new FaultInjector(resolveFaultConfig({ rate: 1, paths: "login" }));
    expect(injector.draw("graph")).toBeUndefined();
    expect(injector.draw("login")).toBeDefined();
  });
});

describe("Retry-After", () => {
  const now = Date.UTC(2026, 10, 23, 10, 0, 0, 250);

  it("rounds the enforced wait up to what the header can express", () => {
    expect(announcedWaitInMs(1_200, "integer", now)).toBe(2_000);
    expect(announcedWaitInMs(1_200, "fractional", now)).toBe(1_200);
    expect(announcedWaitInMs(1_200, "absent", now)).toBe(1_200);
    // 10:00:00.250 + 1.2 s = 10:00:01.450, announced as 10:00:02.
    expect(announcedWaitInMs(1_200, "http-date", now)).toBe(1_750);
  });

  it("writes each format", () => {
    expect(retryAfterHeader(2_000, "integer", now)).toEqual({ "Retry-After": "2" });
    expect(retryAfterHeader(2_128, "fractional", now)).toEqual({ "Retry-After": "2.128" });
    expect(retryAfterHeader(1_750, "http-date", now)).toEqual({ "Retry-After": "Mon, 23 Nov 2026 10:00:02 GMT" });
    expect(retryAfterHeader(1_750, "absent", now)).toEqual({});
  });
});
