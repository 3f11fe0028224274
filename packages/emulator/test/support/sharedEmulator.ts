import { afterAll, beforeAll, beforeEach } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/index.js";
import { getAccessToken } from "./emulatorClients.js";

/** The emulator the tests of a file share, the time its clock reads, and a token of the demo app. */
export interface SharedEmulator {
  emulator: RunningEmulator;
  /** What the emulator's clock reads: tests move time by changing it, never by waiting. */
  now: number;
  token: string;
}

/**
 * Starts one emulator for the test file. Before each test the clock reads `startAt()` (default: the
 * wall clock), the state is as it was at start, `prepare` (if any) has run, and `token` is a fresh
 * token of the demo app.
 */
export function shareEmulator(
  options: Omit<EmulatorOptions, "clock"> = {},
  hooks: { startAt?: () => number; prepare?: (emulator: RunningEmulator) => Promise<unknown> } = {},
): SharedEmulator {
  const startAt = hooks.startAt ?? Date.now;
  const shared = { now: startAt(), token: "" } as SharedEmulator;
  beforeAll(async () => {
    shared.emulator = await startEmulator({ ...options, clock: () => shared.now });
  });
  afterAll(() => shared.emulator.close());
  beforeEach(async () => {
    shared.now = startAt();
    await shared.emulator.admin.reset();
    await hooks.prepare?.(shared.emulator);
    shared.token = await getAccessToken(shared.emulator);
  });
  return shared;
}
