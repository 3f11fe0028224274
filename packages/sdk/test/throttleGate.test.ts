// The client's one throttle gate: a 429 with Retry-After holds back every call of the client until
// then, calls resume gradually, and a waiting call still ends on abort. The gate's policy is shown
// on the class with a clock the test moves by hand; its place in the call path over real sockets.
import { expect, test } from "vitest";
import { createSyncClientWithClock } from "../src/syncClient.js";
import { ThrottleGate, type GateOutcome } from "../src/retry/throttleGate.js";
import { captureError } from "./support/capture.js";
import { AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";
import { SteppedClock } from "./support/fakeClock.js";
import { graphError, useGraphServer } from "@graph-sync/test-support";

const server = await useGraphServer();
const target = { servicePrincipalId: SP_ID };
const credentials = { Oauth2AuthorizationCode: AUTH_CODE };
const answered: GateOutcome = { kind: "answered" };
const throttled = (retryAfterInMs: number): GateOutcome => ({ kind: "throttled", retryAfterInMs });
const never = new AbortController().signal;

/** Lets promise callbacks run, a bounded number of turns, until `condition` holds. */
async function settle(condition: () => boolean = () => false): Promise<void> {
  for (let turn = 0; turn < 200 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Polls, every 5 ms for at most 10 s, until `condition` holds: for answers that come over sockets. */
async function eventually(condition: () => boolean): Promise<void> {
  for (let poll = 0; poll < 2000 && !condition(); poll++) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Asks the gate for `count` attempts; records the epoch of each as it is admitted. */
function ask(gate: ThrottleGate, count: number, signal = never) {
  const admitted: number[] = [];
  const settled = Array.from({ length: count }, () => Promise.resolve(gate.admit(signal)).then((epoch) => admitted.push(epoch) && epoch));
  return { admitted, settled };
}

test("open, the gate admits every attempt at once, without a promise", () => {
  const gate = new ThrottleGate(new SteppedClock());
  const epochs = Array.from({ length: 100 }, () => gate.admit(never));
  expect(epochs.every((epoch) => epoch === 0)).toBe(true);
});

test("after a 429 every attempt waits for the same moment, then they resume one, two, eight at a time", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  const first = gate.admit(never) as number;
  gate.release(first, throttled(2000));
  expect(gate.closedForInMs()).toBe(2000);

  const waiting = ask(gate, 10);
  await settle(() => clock.waiting === 10);
  expect(clock.waiting).toBe(10);
  expect(waiting.admitted).toEqual([]);

  clock.advance(1999);
  await settle();
  expect(waiting.admitted).toEqual([]);

  clock.advance(1);
  await settle(() => waiting.admitted.length > 0);
  await settle();
  // One goes first; each answer that is not a 429 doubles how many may be in flight.
  const inFlightAfterEachAnswer: number[] = [waiting.admitted.length];
  let released = 0;
  while (released < 10) {
    const admittedBefore = waiting.admitted.length;
    for (const epoch of waiting.admitted.slice(released, admittedBefore)) gate.release(epoch, answered);
    released = admittedBefore;
    await settle();
    if (released < 10) inFlightAfterEachAnswer.push(waiting.admitted.length - released);
  }
  // The throttled epoch had no answer but its 429, so there is no estimate of the limit: only the
  // doubling holds the calls back (1, 2, then 8 once both have answered).
  expect(inFlightAfterEachAnswer).toEqual([1, 2, 7]);
  expect(new Set(waiting.admitted)).toEqual(new Set([1]));
});

/** A call answered just now: the client was busy right before what follows, so its window may have begun already. */
function justBusy(gate: ThrottleGate): void {
  gate.release(gate.admit(never) as number, answered);
}

test("near the budget the last epoch allowed, attempts go one at a time; a probe that succeeds allows another budget's worth", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  // Epoch 0: three requests fit (one just before the others), the fourth is throttled.
  justBusy(gate);
  const epochZero = Array.from({ length: 3 }, () => gate.admit(never) as number);
  for (const epoch of epochZero.slice(0, 2)) gate.release(epoch, answered);
  gate.release(epochZero[2]!, throttled(1000));

  const waiting = ask(gate, 8);
  await settle(() => clock.waiting === 8);
  clock.advance(1000);
  await settle(() => waiting.admitted.length > 0);
  await settle();
  const inFlight: number[] = [];
  let released = 0;
  while (released < 8) {
    const admittedNow = waiting.admitted.length;
    inFlight.push(admittedNow - released);
    for (const epoch of waiting.admitted.slice(released, admittedNow)) gate.release(epoch, answered);
    released = admittedNow;
    await settle();
  }
  // 1, then 2 (3 fit last time: 1 answered + 2 = 3), then one probe; it got through, so 3 more
  // may go, then a probe again.
  expect(inFlight).toEqual([1, 2, 1, 3, 1]);
});

test("after three probes in a row get through, the gate forgets the estimate", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  // Epoch 0: one request fits, the next is throttled.
  justBusy(gate);
  gate.release(gate.admit(never) as number, throttled(1000));
  clock.advance(1000);
  // Estimate 1: one at a time, every other attempt a probe; the third probe through lifts the limit.
  let inFlight = await gate.admit(never);
  for (let answer = 0; answer < 6; answer++) {
    const queued = gate.admit(never);
    expect(queued).toBeInstanceOf(Promise);
    gate.release(inFlight, answered);
    inFlight = await queued;
  }
  gate.release(inFlight, answered);
  expect(Array.from({ length: 50 }, () => typeof gate.admit(never))).toEqual(Array(50).fill("number"));
});

/** Sends `count` attempts one after another, each answered `stepInMs` after it was admitted. */
async function answerInTurn(gate: ThrottleGate, clock: SteppedClock, count: number, stepInMs: number): Promise<number[]> {
  const epochs: number[] = [];
  for (let index = 0; index < count; index++) {
    const epoch = await gate.admit(never);
    clock.advance(stepInMs);
    gate.release(epoch, answered);
    epochs.push(epoch);
  }
  return epochs;
}

/**
 * Epoch 0: three fit and the fourth is throttled (a budget of 3; the client was busy just before,
 * so when that window began is unknown).
 * Epoch 1 begins at the reopening: three answered 10 ms apart, then the probe is throttled 40 ms
 * in with `retryAfterInMs`, which bounds the window. Leaves the gate just reopened for epoch 2.
 */
async function learnWindow(gate: ThrottleGate, clock: SteppedClock, retryAfterInMs: number): Promise<void> {
  justBusy(gate);
  const epochZero = Array.from({ length: 3 }, () => gate.admit(never) as number);
  for (const epoch of epochZero.slice(0, 2)) gate.release(epoch, answered);
  gate.release(epochZero[2]!, throttled(1000));
  clock.advance(1000);
  expect(await answerInTurn(gate, clock, 3, 10)).toEqual([1, 1, 1]);
  const probe = gate.admit(never);
  expect(probe).toBe(1);
  clock.advance(10);
  gate.release(probe as number, throttled(retryAfterInMs));
  clock.advance(retryAfterInMs);
}

test("once a 429 after a reopening bounds the window, each window's budget goes at its start and the rest wait for the next, without a probe", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  // The probe's 429 came 40 ms after the reopening with Retry-After 1 s: the window is at most
  // 1.04 s; Graph's windows are whole seconds, so it is taken as 1 s.
  await learnWindow(gate, clock, 1000);
  const started = clock.now();
  expect(await answerInTurn(gate, clock, 3, 10)).toEqual([2, 2, 2]);
  // The budget is answered: closed until one window after the epoch's first answer (10 ms in).
  expect(gate.closedForInMs()).toBe(started + 10 + 1000 - clock.now());
  expect(gate.closedByThrottling()).toBe(false);
  const next = ask(gate, 2);
  await settle(() => clock.waiting === 2);
  clock.advance(gate.closedForInMs() - 1);
  await settle();
  expect(next.admitted).toEqual([]);
  clock.advance(1);
  await settle(() => next.admitted.length > 0);
  // The next window, reopened gradually: one goes first.
  expect(next.admitted).toEqual([3]);
});

test("with a Retry-After in fractions of a second the window is taken exactly as the 429 bounds it", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  // Throttled 40 ms after the reopening with Retry-After 0.955 s: the window ends 995 ms after it.
  await learnWindow(gate, clock, 955);
  const started = clock.now();
  await answerInTurn(gate, clock, 3, 10);
  expect(gate.closedForInMs()).toBe(started + 10 + 995 - clock.now());
});

test("a window that proves too short is learned again by probing, without rounding; the budget is kept", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  await learnWindow(gate, clock, 1000);
  await answerInTurn(gate, clock, 3, 10);
  clock.advance(gate.closedForInMs());
  // The window had not ended: the first attempt of the next one is throttled.
  const early = await gate.admit(never);
  clock.advance(5);
  gate.release(early, throttled(1000));
  expect(gate.closedByThrottling()).toBe(true);
  clock.advance(1000);
  // The budget of 3 still holds; past it, attempts probe one at a time instead of waiting for a window.
  expect(await answerInTurn(gate, clock, 3, 10)).toEqual([4, 4, 4]);
  expect(gate.closedForInMs()).toBe(0);
  expect(gate.admit(never)).toBe(4);
  expect(gate.admit(never)).toBeInstanceOf(Promise);
});

test("when a whole window passes unused, the gate forgets the budget and the window", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  await learnWindow(gate, clock, 1000);
  await answerInTurn(gate, clock, 3, 10);
  clock.advance(gate.closedForInMs() + 1000);
  // Reopened gradually, but with no budget: more than 3 go through without closing, and they go in parallel.
  expect(await answerInTurn(gate, clock, 5, 10)).toEqual([3, 3, 3, 3, 3]);
  expect(gate.closedForInMs()).toBe(0);
  expect(Array.from({ length: 8 }, () => typeof gate.admit(never))).toEqual(Array(8).fill("number"));
});

test("a client quiet before its first burst learns the window from that burst's 429", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  const burst = Array.from({ length: 4 }, () => gate.admit(never) as number);
  clock.advance(30);
  for (const epoch of burst.slice(0, 3)) gate.release(epoch, answered);
  gate.release(burst[3]!, throttled(1000));
  clock.advance(1000);
  // The window began with the burst and ended by 1.03 s: 1 s. Epoch 1 keeps to it, without a probe.
  const started = clock.now();
  await answerInTurn(gate, clock, 3, 10);
  expect(gate.closedForInMs()).toBe(started + 10 + 1000 - clock.now());
  expect(gate.closedByThrottling()).toBe(false);
});

test("an epoch that ran longer before its 429 than the wait it announced teaches no window: the gate probes", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  // A quiet client's first burst, answered slowly: the 429 comes 1.5 s in, with Retry-After 1 s.
  const burst = Array.from({ length: 4 }, () => gate.admit(never) as number);
  clock.advance(1500);
  for (const epoch of burst.slice(0, 3)) gate.release(epoch, answered);
  gate.release(burst[3]!, throttled(1000));
  clock.advance(1000);
  await answerInTurn(gate, clock, 3, 10);
  expect(gate.closedForInMs()).toBe(0);
  expect(gate.admit(never)).toBe(1);
  expect(gate.admit(never)).toBeInstanceOf(Promise);
});

test("a 429 to a request sent before the reopening does not close the gate again", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  const early = gate.admit(never) as number;
  const late = gate.admit(never) as number;
  gate.release(early, throttled(1000));
  clock.advance(1000);
  const next = await gate.admit(never);
  expect(next).toBe(1);
  gate.release(late, throttled(1000));
  expect(gate.closedForInMs()).toBe(0);
});

test("a call waiting at the gate or in its queue leaves on abort, and its place goes to the next", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  gate.release(gate.admit(never) as number, throttled(500));
  const controller = new AbortController();
  const sleeper = Promise.resolve(gate.admit(controller.signal)).catch((error: unknown) => error);
  await settle(() => clock.waiting === 1);
  controller.abort(new Error("caller gave up"));
  expect(await sleeper).toMatchObject({ message: "caller gave up" });
  expect(clock.waiting).toBe(0);

  // After the reopening one attempt is in flight; two more queue for a slot, the first of them aborts.
  clock.advance(500);
  const probe = await gate.admit(never);
  const queued = new AbortController();
  const leaving = Promise.resolve(gate.admit(queued.signal)).catch((error: unknown) => error);
  const staying = Promise.resolve(gate.admit(never));
  await settle();
  queued.abort(new Error("gone"));
  expect(await leaving).toMatchObject({ message: "gone" });
  gate.release(probe, answered);
  expect(await staying).toBe(1);
});

test("over sockets: one call's 429 holds back the client's other calls, which send once each after the wait", async () => {
  const clock = new SteppedClock();
  const client = createSyncClientWithClock({ credential: staticCredential(), baseUrl: server.url }, clock);
  server.enqueue(graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "3" }));
  const first = client.acquireAccessToken(target, credentials);
  await eventually(() => clock.waiting === 1);
  expect(server.requests).toHaveLength(1);

  const others = Array.from({ length: 5 }, () => client.acquireAccessToken(target, credentials));
  await eventually(() => clock.waiting === 6);
  expect(clock.waiting).toBe(6);
  expect(server.requests).toHaveLength(1);

  clock.advance(3000);
  const results = await Promise.all([first, ...others]);
  expect(results.map((result) => result.attempts)).toEqual([2, 1, 1, 1, 1, 1]);
  expect(server.requests).toHaveLength(7);
});

test("over sockets: a call waiting for the gate ends on the caller's abort, without sending anything", async () => {
  const clock = new SteppedClock();
  const client = createSyncClientWithClock({ credential: staticCredential(), baseUrl: server.url, retry: { maxRetries: 0 } }, clock);
  server.enqueue(graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "30" }));
  expect(await captureError(client.acquireAccessToken(target, credentials))).toMatchObject({ kind: "throttled" });

  const controller = new AbortController();
  const waiting = captureError(client.acquireAccessToken(target, credentials, { abortSignal: controller.signal }));
  await eventually(() => clock.waiting === 1);
  controller.abort();
  expect(await waiting).toMatchObject({ kind: "aborted" });
  expect(server.requests).toHaveLength(1);
});

/**
 * Sends attempts one at a time, each answered `stepInMs` after it was admitted, until the gate
 * closes for the rest of a learned window; then moves the clock to the reopening. The window's
 * budget: how many were answered in it.
 */
async function answerWindow(gate: ThrottleGate, clock: SteppedClock, stepInMs = 10): Promise<number> {
  let count = 0;
  while (gate.closedForInMs() === 0 && count < 1000) {
    const epoch = await gate.admit(never);
    clock.advance(stepInMs);
    gate.release(epoch, answered);
    count += 1;
  }
  clock.advance(gate.closedForInMs());
  return count;
}

test("a learned budget that is too low climbs back: after eight full windows one more, then each raise that holds doubles", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  await learnWindow(gate, clock, 1000);
  const budgets: number[] = [];
  for (let window = 0; window < 12; window++) budgets.push(await answerWindow(gate, clock));
  expect(budgets).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 4, 6, 10, 18]);
});

test("a 429 teaches the budget anew as before; after a raise that met the limit the next raise waits twice as long", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  await learnWindow(gate, clock, 1000);
  for (let window = 0; window < 10; window++) await answerWindow(gate, clock);
  // This window's budget is 10 (raised from 6); the limit lets 6 through, the 7th is throttled.
  expect(await answerInTurn(gate, clock, 6, 10)).toEqual([12, 12, 12, 12, 12, 12]);
  const probe = gate.admit(never) as number;
  clock.advance(10);
  gate.release(probe, throttled(1000));
  expect(gate.closedByThrottling()).toBe(true);
  clock.advance(1000);
  const budgets: number[] = [];
  for (let window = 0; window < 18; window++) budgets.push(await answerWindow(gate, clock));
  expect(budgets).toEqual([...Array(16).fill(6), 7, 9]);
});

test("a 429 before the learned budget was answered (another user took part of the window) makes the next raise come after one window", async () => {
  const clock = new SteppedClock();
  const gate = new ThrottleGate(clock);
  await learnWindow(gate, clock, 1000);
  // Budget 3, but only 2 get through: the 3rd is throttled.
  await answerInTurn(gate, clock, 2, 10);
  const third = gate.admit(never) as number;
  clock.advance(10);
  gate.release(third, throttled(1000));
  clock.advance(1000);
  const budgets: number[] = [];
  for (let window = 0; window < 5; window++) budgets.push(await answerWindow(gate, clock));
  expect(budgets).toEqual([2, 3, 5, 9, 17]);
});

/**
 * Graph's limit as the emulator keeps it (scope app): `limit` requests per fixed window of 1 s,
 * which begins with the first request after the last one ended; over it, a 429 with the rest of
 * the window rounded up to whole seconds.
 */
function fixedWindowLimit(clock: SteppedClock, limit: number) {
  let startedAt = Number.NEGATIVE_INFINITY;
  let used = 0;
  return (): GateOutcome => {
    const now = clock.now();
    if (now - startedAt >= 1000) {
      startedAt = now;
      used = 0;
    }
    used += 1;
    if (used <= limit) return answered;
    return throttled(Math.ceil((startedAt + 1000 - now) / 1000) * 1000);
  };
}

test("one client alone at the limit keeps within 5 % 429s, and over a long run within 10 % of the least time, the raises included", async () => {
  const rows: { calls: number; throttledShare: number; timesLeast: number }[] = [];
  for (const calls of [1000, 10_000]) {
    const clock = new SteppedClock();
    const gate = new ThrottleGate(clock);
    const charge = fixedWindowLimit(clock, 100);
    const started = clock.now();
    let answeredCalls = 0;
    let throttledRequests = 0;
    for (let request = 0; answeredCalls < calls && request < calls * 2; request++) {
      clock.advance(gate.closedForInMs());
      const epoch = gate.admit(never);
      if (typeof epoch !== "number") throw new Error("one attempt at a time is always admitted at once when the gate is open");
      const outcome = charge();
      clock.advance(5);
      gate.release(epoch, outcome);
      if (outcome.kind === "answered") answeredCalls += 1;
      else throttledRequests += 1;
    }
    expect(answeredCalls).toBe(calls);
    // At best: a full window per 100 calls but the last, whose 100 calls take 5 ms each.
    const leastInMs = (calls / 100 - 1) * 1000 + 100 * 5;
    rows.push({ calls, throttledShare: throttledRequests / calls, timesLeast: (clock.now() - started) / leastInMs });
  }
  for (const row of rows) expect(row.throttledShare).toBeLessThanOrEqual(0.05);
  // Over 100 windows a raise that meets the limit every 16 windows costs little time; over 10 the
  // first 429's wait (rounded up to a whole second, half a window here) weighs more than any raise.
  expect(rows[1]!.timesLeast).toBeLessThanOrEqual(1.1);
  expect(rows[0]!.timesLeast).toBeLessThanOrEqual(1.15);
});
