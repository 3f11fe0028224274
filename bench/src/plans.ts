// How much each figure measures: the full run, and the quick one that only proves the harness works.

export const quickPlan = {
  minimal: { concurrencies: [16], repeats: 1, warmupCalls: 20, measuredCalls: 100 },
  emulator: { concurrencies: [16], repeats: 1, warmupCalls: 10, measuredCalls: 50 },
  coldStartRepeats: 1,
  throttling: {
    calls: 60,
    servicePrincipals: 5,
    concurrency: 16,
    tightLimit: { limit: 30, windowSeconds: 1 },
    processes: { count: 2, concurrencyEach: 4 },
    scenarios: ["tight", "tight-processes"] as const,
  },
  tracing: { repeats: 1, warmupCalls: 20, measuredCalls: 100, offIterations: 2_000 },
  errorBody: { bodyMiB: 8, repeats: 1, warmupCalls: 5, measuredCalls: 1 },
};

export const fullPlan = {
  minimal: { concurrencies: [1, 16, 64], repeats: 5, warmupCalls: 300, measuredCalls: 2_000 },
  emulator: { concurrencies: [1, 16, 64], repeats: 3, warmupCalls: 50, measuredCalls: 400 },
  coldStartRepeats: 5,
  throttling: {
    calls: 1_000,
    servicePrincipals: 50,
    concurrency: 32,
    tightLimit: { limit: 100, windowSeconds: 1 },
    processes: { count: 4, concurrencyEach: 8 },
    scenarios: ["default", "tight", "tight-processes"] as const,
  },
  tracing: { repeats: 5, warmupCalls: 300, measuredCalls: 2_000, offIterations: 200_000 },
  errorBody: { bodyMiB: 64, repeats: 3, warmupCalls: 50, measuredCalls: 2 },
};
