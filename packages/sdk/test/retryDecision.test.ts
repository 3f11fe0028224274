// The retry rule, table by table: how an attempt ended, the policy and the time left → wait how
// long, or stop and why. A change of the rule changes retry/retryDecision.ts and this table only.
import { expect, test } from "vitest";
import { decideRetry, type AttemptOutcome, type RetryCircumstances, type RetryDecision } from "../src/retry/retryDecision.js";

const policy = { maxRetries: 3, initialDelayInMs: 800, maxDelayInMs: 60_000 };
const start: RetryCircumstances = { retriesSoFar: 0, timeLeftInMs: 100_000, gateClosedForInMs: 0, random: 0.5 };

const answer = (status: number, retryAfterInMs?: number): AttemptOutcome => ({ answered: true, status, retryAfterInMs });
const noAnswer = (reason: Extract<AttemptOutcome, { answered: false }>["reason"], errorCode?: string): AttemptOutcome => ({
  answered: false,
  reason,
  errorCode,
});

type Expected = { retry: true; delayInMs: number; mayHaveRun: boolean } | { retry: false; stop: string };

const table: Array<[string, AttemptOutcome, Partial<RetryCircumstances>, Expected]> = [
  // Answers
  ["204 is final", answer(204), {}, { retry: false, stop: "final" }],
  ["400 is final", answer(400), {}, { retry: false, stop: "final" }],
  ["401 is final", answer(401), {}, { retry: false, stop: "final" }],
  ["500 is final", answer(500), {}, { retry: false, stop: "final" }],
  ["429 with Retry-After waits what Graph says", answer(429, 2128), {}, { retry: true, delayInMs: 2128, mayHaveRun: false }],
  ["503 without Retry-After backs off (800 ms nominal, equal jitter at 0.5: 600 ms)", answer(503), {}, { retry: true, delayInMs: 600, mayHaveRun: false }],
  ["504 backs off exponentially on the third retry (3200 ms nominal → 2400 ms)", answer(504), { retriesSoFar: 2 }, { retry: true, delayInMs: 2400, mayHaveRun: false }],
  ["the backoff is capped by maxDelayInMs (1600 ms; no jitter at 0: half of it)", answer(503), { retriesSoFar: 2, random: 0 }, { retry: true, delayInMs: 800, mayHaveRun: false }],
  ["the gate closed for longer (another call's 429) is the real wait", answer(503, 1000), { gateClosedForInMs: 5000 }, { retry: true, delayInMs: 5000, mayHaveRun: false }],
  ["retries run out", answer(503), { retriesSoFar: 3 }, { retry: false, stop: "retries-exhausted" }],
  ["a wait that would end after the deadline is not started", answer(429, 120_000), {}, { retry: false, stop: "no-time-left" }],
  ["a wait ending exactly at the deadline is not started either", answer(429, 1000), { timeLeftInMs: 1000 }, { retry: false, stop: "no-time-left" }],
  // No answer: nothing sent
  ["a refused connection is sent again", noAnswer("connect", "ECONNREFUSED"), {}, { retry: true, delayInMs: 600, mayHaveRun: false }],
  ["a connection closed before the request was written is sent again", noAnswer("not-written", "UND_ERR_SOCKET"), {}, { retry: true, delayInMs: 600, mayHaveRun: false }],
  ["a TLS failure is final", noAnswer("tls", "SELF_SIGNED_CERT_IN_CHAIN"), {}, { retry: false, stop: "final" }],
  // No answer after the request was written: one rule
  ["a reset after writing is sent again, and may have run", noAnswer("reset", "ECONNRESET"), {}, { retry: true, delayInMs: 600, mayHaveRun: true }],
  ["an orderly close after writing is never sent again", noAnswer("closed", "UND_ERR_SOCKET"), {}, { retry: false, stop: "final" }],
  ["any other failure after writing is never sent again", noAnswer("network"), {}, { retry: false, stop: "final" }],
  // No answer because a limit fired
  ["the caller's abort is final", noAnswer("aborted"), {}, { retry: false, stop: "final" }],
  ["the call's deadline is final", noAnswer("deadline"), {}, { retry: false, stop: "final" }],
  ["an attempt's time limit is final (the request may have run)", noAnswer("attempt-timeout"), {}, { retry: false, stop: "final" }],
  // Limits apply to failures without an answer as to answers
  ["a refused connection after the last retry stops", noAnswer("connect", "ECONNREFUSED"), { retriesSoFar: 3 }, { retry: false, stop: "retries-exhausted" }],
  ["a reset with too little time left stops", noAnswer("reset", "ECONNRESET"), { timeLeftInMs: 100 }, { retry: false, stop: "no-time-left" }],
  ["maxRetries 0 never retries", answer(503), {}, { retry: false, stop: "retries-exhausted" }],
];

/** The rows that need a policy other than the default one. */
const policies: Record<string, typeof policy> = {
  "maxRetries 0 never retries": { ...policy, maxRetries: 0 },
  "the backoff is capped by maxDelayInMs (1600 ms; no jitter at 0: half of it)": { ...policy, maxDelayInMs: 1600 },
};

test.each(table)("%s", (name, outcome, circumstances, expected) => {
  const usedPolicy = policies[name] ?? policy;
  const decision: RetryDecision = decideRetry(outcome, usedPolicy, { ...start, ...circumstances });
  expect(decision).toMatchObject(expected);
});

test("the decision says the outcome in words, for the log line", () => {
  expect(decideRetry(answer(503, 2128), policy, start).why).toBe("Graph answered 503 with Retry-After 2.128 s");
  expect(decideRetry(noAnswer("reset", "ECONNRESET"), policy, start).why).toContain("reset before any answer (ECONNRESET)");
  expect(decideRetry(noAnswer("connect", "ECONNREFUSED"), policy, start).why).toBe("could not connect (ECONNREFUSED)");
});
