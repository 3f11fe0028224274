import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { resolveFaultConfig, type FaultConfig, type FaultKind, type LatencyConfig } from "./faultConfig.js";

/** The areas that can be faulted. */
export type FaultableArea = "graph" | "login";

/** The fault chosen for one request. */
export interface FaultDecision {
  kind: FaultKind;
  /** For `latency`: how long to wait before serving. */
  delayInMs: number;
}

/** Shape of the long tail: a Pareto distribution with the 80/20 exponent. */
const paretoShape = 1.16;

/**
 * Decides, request by request, whether to inject a fault and which. Decisions come from a seeded
 * generator and every request consumes the same number of draws, so a given seed and sequence of
 * requests always produce the same faults. Setting a configuration restarts the sequence.
 */
export class FaultInjector {
  private config: FaultConfig;
  private random: SeededRandom;

  constructor(config: FaultConfig = resolveFaultConfig()) {
    this.config = config;
    this.random = createSeededRandom(config.seed);
  }

  get current(): FaultConfig {
    return structuredClone(this.config);
  }

  configure(config: FaultConfig): void {
    this.config = structuredClone(config);
    this.random = createSeededRandom(config.seed);
  }

  draw(area: FaultableArea): FaultDecision | undefined {
    const { rate, kinds, paths } = this.config;
    if (rate <= 0 || kinds.length === 0 || (paths !== "all" && paths !== area)) return undefined;
    const [happens, which, amount] = [this.random(), this.random(), this.random()];
    if (happens >= rate) return undefined;
    const kind = kinds[Math.min(kinds.length - 1, Math.floor(which * kinds.length))]!;
    return { kind, delayInMs: kind === "latency" ? latencyDelayInMs(this.config.latency, amount) : 0 };
  }
}

/** Maps a uniform draw in [0, 1) to a delay of the configured distribution. */
export function latencyDelayInMs(latency: LatencyConfig, draw: number): number {
  const { mode, ms, maxMs } = latency;
  switch (mode) {
    case "fixed":
      return ms;
    case "uniform":
      return Math.round(ms + draw * Math.max(0, maxMs - ms));
    case "long-tail": {
      // Pareto scaled so that its median is `ms`; capped, since an unbounded tail would stall tests.
      const pareto = (1 / (1 - draw)) ** (1 / paretoShape) / 2 ** (1 / paretoShape);
      return Math.round(Math.min(Math.max(ms, maxMs), ms * pareto));
    }
  }
}

/** A reproducible source of numbers in [0, 1): the same seed gives the same sequence. */
type SeededRandom = () => number;

function createSeededRandom(seed: number): SeededRandom {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}
