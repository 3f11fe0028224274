import type { SchemaObject } from "ajv";

/**
 * The faults the emulator can inject, in the spirit of Dev Proxy (HTTP errors) and WireMock
 * (transport faults):
 * - `500`, `503`, `504`: an error answer in the area's format, without `Retry-After`;
 * - `503-retry-after`: a 503 with `Retry-After`;
 * - `latency`: a delay, then the request is served normally;
 * - `reset`: the connection is reset without an answer;
 * - `truncate`: an error answer whose body stops half-way (Content-Length promises more);
 * - `stall`: the request is accepted and never answered.
 * Except `latency`, a faulted request is not processed, so it changes no state.
 */
export type FaultKind = "500" | "503" | "503-retry-after" | "504" | "latency" | "reset" | "truncate" | "stall";

export const faultKinds: readonly FaultKind[] = ["500", "503", "503-retry-after", "504", "latency", "reset", "truncate", "stall"];

export type LatencyMode = "fixed" | "uniform" | "long-tail";

/** Which hosts faults apply to. The admin API and the target never fault. */
export type FaultScope = "graph" | "login" | "all";

export interface LatencyConfig {
  mode: LatencyMode;
  /** fixed: the delay; uniform: the minimum; long-tail: the median. */
  ms: number;
  /** uniform: the maximum; long-tail: the cap. */
  maxMs: number;
}

export interface FaultConfig {
  /** Probability, 0..1, that a request gets a fault. */
  rate: number;
  /** Seed of the random sequence: the same seed and requests give the same faults. */
  seed: number;
  /** The faults to choose from, uniformly. */
  kinds: FaultKind[];
  latency: LatencyConfig;
  paths: FaultScope;
  /** The `Retry-After` of `503-retry-after`, in seconds. */
  retryAfterSeconds: number;
}

export const defaultFaultConfig: Readonly<FaultConfig> = {
  rate: 0,
  seed: 1,
  kinds: ["500", "503", "503-retry-after", "504"],
  latency: { mode: "fixed", ms: 100, maxMs: 2000 },
  paths: "graph",
  retryAfterSeconds: 2,
};

/** The input form: everything optional, `latency` partially too. */
export type FaultConfigInput = Partial<Omit<FaultConfig, "latency">> & { latency?: Partial<LatencyConfig> };

/** JSON Schema of a fault setting; absent fields take their defaults. */
export const faultConfigSchema: SchemaObject = {
  type: "object",
  additionalProperties: false,
  properties: {
    rate: { type: "number", minimum: 0, maximum: 1 },
    seed: { type: "integer" },
    kinds: { type: "array", items: { enum: [...faultKinds] }, uniqueItems: true },
    latency: {
      type: "object",
      additionalProperties: false,
      properties: {
        mode: { enum: ["fixed", "uniform", "long-tail"] },
        ms: { type: "number", minimum: 0, maximum: 600000 },
        maxMs: { type: "number", minimum: 0, maximum: 600000 },
      },
    },
    paths: { enum: ["graph", "login", "all"] },
    retryAfterSeconds: { type: "integer", minimum: 0, maximum: 3600 },
  },
};

/** Completes a partial setting with the defaults. */
export function resolveFaultConfig(input: FaultConfigInput = {}): FaultConfig {
  return {
    ...defaultFaultConfig,
    ...input,
    kinds: input.kinds ?? [...defaultFaultConfig.kinds],
    latency: { ...defaultFaultConfig.latency, ...input.latency },
  };
}
