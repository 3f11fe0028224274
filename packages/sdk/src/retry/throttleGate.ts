import type { Clock } from "./retryDecision.js";

/** How an admitted attempt ended, as far as the gate cares. */
export type GateOutcome =
  /** Graph answered with anything but 429: the request fitted within the limit. */
  | { readonly kind: "answered" }
  /** Graph answered 429 with a `Retry-After` of this many milliseconds (> 0). */
  | { readonly kind: "throttled"; readonly retryAfterInMs: number }
  /** No answer (a connection failure, an abort, a timeout): says nothing about the limit. */
  | { readonly kind: "noAnswer" };

/** Probes in a row that get through before the gate stops expecting the limit. */
const PROBES_TO_FORGET = 3;

/** Full windows answered before the first raise of a budget learned with no sign of another user. */
const WINDOWS_BEFORE_FIRST_RAISE = 8;

/** The most full windows the gate waits between two raises of a learned budget. */
const MOST_WINDOWS_BETWEEN_RAISES = 16;

/** A place in the queue for a free slot: resolved with the epoch when admitted, with -1 to look again. */
interface Waiter {
  resolve(epoch: number): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * One throttle gate per client, which means per app and tenant (a client has one credential):
 * Graph counts its limits per app and tenant, and its guidance is to back off for the whole app.
 *
 * - **Closing.** When an attempt is answered 429 with `Retry-After`, the gate closes until then:
 *   every call of the client waits for the same moment, instead of each sending a request only to
 *   learn the limit on its own (each of those requests counts against the limit, too).
 * - **Reopening gradually.** After the wait, one attempt goes first; every answer that is not a 429
 *   doubles how many may be in flight (1, 2, 4, …), so a herd of waiting calls does not arrive in
 *   the same millisecond. The gate also remembers how many requests got through between reopening
 *   and the 429 (the budget the limit left): once that many have succeeded again, attempts go one
 *   at a time, so reaching the limit again costs one 429 rather than one per call in flight. When
 *   such a probe succeeds, the limit's window has moved on (or another user of the app went
 *   quiet): another estimate's worth goes through before the next probe; after three such probes
 *   the gate forgets the estimate.
 * - **Keeping to the window once it is known.** A 429 in an epoch that began at a reopening also
 *   bounds the limit's window: the previous window had ended (the gate waited for its
 *   `Retry-After`), so this one began at the reopening or later, and it ends by the 429's time plus
 *   its `Retry-After`. So does a 429 in the first burst of a client that had been quiet for longer
 *   than that bound (its window began with the burst). Not when the epoch ran for longer before
 *   its 429 than the wait it announced: it may have spanned several windows. From then on the gate does not probe: once the budget has been answered it
 *   closes until one window after the epoch's first answer (by which the window had begun), and
 *   reopens there (gradually, as above): no 429 and no time lost to the rounding of `Retry-After`
 *   at each window's end. Graph counts its limits in windows of whole seconds and announces
 *   whole seconds, so with a whole-second `Retry-After` the window is taken as the whole seconds
 *   within that bound. A window that proves too short (the first attempt after the scheduled
 *   reopening is answered 429) is learned again by probing, without rounding; when a whole window
 *   passes unused, the gate forgets what it learned.
 * - **Raising a learned budget gently.** The budget learned from a 429 is what the limit left this
 *   client then: with other users of the app (other processes, other clients) it is only a share,
 *   and they may go quiet. So after some windows whose whole budget was answered, the next window's
 *   budget is one more; each raise that holds (its window answered in full) is followed at once by
 *   a raise twice as large (1, 2, 4, …), so a share that was far too low climbs back within a few
 *   windows. A 429 teaches the budget anew as before and starts the raises again at one. A raise
 *   costs a 429, and time (the gate waits for its `Retry-After`, longer than the window's rest), when
 *   the budget was the limit already, so the gate raises rarely until it sees another user: it
 *   waits eight full windows before the first raise, twice as many after each raise that met the
 *   limit (up to sixteen), and one window once a 429 came before a window's budget was answered
 *   (someone else had taken part of it).
 * - **Abort and deadlines.** A call waits on its own signal (the caller's abort and the call's
 *   deadline): waiting callers leave the queue when it fires, and no timer of the gate outlives them.
 *
 * Attempts are counted per epoch (the time between two reopenings), so late answers to requests
 * sent before a reopening do not distort the new epoch, and a 429 to such a request does not close
 * the gate again: the gate has already waited for it. Until the first 429 an attempt costs one
 * comparison and two counter updates.
 */
export class ThrottleGate {
  /** Epoch 0 runs until the first reopening. */
  private epoch = 0;
  /** The epoch in which the gate last closed; equal to `epoch` while closed. */
  private closedInEpoch = -1;
  private reopensAt = 0;
  /** Attempts of this epoch in flight (older ones no longer hold a place). */
  private inFlight = 0;
  /** Attempts of this epoch answered without a 429. */
  private answered = 0;
  /** How many may be in flight: doubles with each answer after a reopening. */
  private allowance = Number.POSITIVE_INFINITY;
  /** Requests the limit let through in the throttled epoch: the estimate of what a window allows. */
  private estimate = Number.POSITIVE_INFINITY;
  /** How many may be answered this epoch before attempts probe one at a time. */
  private budget = Number.POSITIVE_INFINITY;
  /** Probes of this epoch that got through. */
  private probesThrough = 0;
  /** Why the gate is closed in `closedInEpoch`: a 429, or the end of the budget's window. */
  private closedBy: "throttled" | "window" = "throttled";
  /**
   * When this epoch began: its reopening. Epoch 0 has none: its window may have begun before,
   * unless the client was quiet for longer than the window can be (see learnFromThrottledEpoch).
   */
  private epochStartedAt: number | undefined;
  /** Epoch 0 only: when the client last had nothing in flight, when it last got busy, and how long it had been quiet then. */
  private quietSince = Number.NEGATIVE_INFINITY;
  private busySince = 0;
  private quietBeforeInMs = 0;
  /** When this epoch's first answer arrived (its window had begun by then); only tracked with a budget. */
  private firstAnswerAt: number | undefined;
  /** Whether this epoch began at the end of a learned window (rather than after a 429). */
  private epochScheduled = false;
  /** This epoch's earliest 429: when it arrived, and when its Retry-After ends. */
  private throttledAt = Number.POSITIVE_INFINITY;
  private windowEndsBy = Number.POSITIVE_INFINITY;
  private retryAfterInWholeSeconds = false;
  /** The limit's window, once learned. */
  private windowInMs: number | undefined;
  /** False once a window rounded to whole seconds proved too short. */
  private roundWindowToWholeSeconds = true;
  /** How much the next raise adds to the learned budget; doubles with each raise that holds. */
  private raiseBy = 1;
  /** Full windows to wait before a raise; doubles when a raise ends in a 429. */
  private windowsBetweenRaises = WINDOWS_BEFORE_FIRST_RAISE;
  /** Full windows answered since the last raise (or since the budget was learned). */
  private fullWindowsSinceRaise = 0;
  /** Whether the last raise is still to be tried: its window has not been answered in full yet. */
  private raisePending = false;
  private readonly queue: Waiter[] = [];

  constructor(private readonly clock: Clock) {}

  /** Milliseconds until the gate reopens; 0 when it is open. */
  closedForInMs(): number {
    return this.reopensAt === 0 ? 0 : Math.max(0, this.reopensAt - this.clock.now());
  }

  /** Whether the gate is closed for a 429's Retry-After (rather than keeping to a learned window). */
  closedByThrottling(): boolean {
    return this.closedBy === "throttled" && this.closedForInMs() > 0;
  }

  /**
   * Admits one attempt, not before `notBefore` (a clock time; 0 for none): the epoch to hand back
   * to {@link release}, at once when the gate is open and has room, else a promise of it. The
   * promise rejects with `signal.reason` when `signal` fires first.
   */
  admit(signal: AbortSignal, notBefore = 0): number | Promise<number> {
    if (notBefore === 0 && this.queue.length === 0 && this.closedForInMs() === 0) {
      this.reopenIfDue();
      if (this.inFlight < this.limit()) return this.take();
    }
    return this.admitLater(signal, notBefore);
  }

  /** Ends an admitted attempt; its outcome may close the gate or widen it. */
  release(epoch: number, outcome: GateOutcome): void {
    if (epoch === this.epoch) {
      this.inFlight -= 1;
      if (this.epoch === 0 && this.inFlight === 0) this.quietSince = this.clock.now();
      if (outcome.kind === "throttled") this.close(outcome.retryAfterInMs);
      else if (outcome.kind === "answered") this.widen();
    }
    this.handOutSlots();
  }

  private async admitLater(signal: AbortSignal, notBefore: number): Promise<number> {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const waitInMs = Math.max(this.reopensAt, notBefore) - this.clock.now();
      if (waitInMs > 0) {
        await this.clock.sleep(waitInMs, signal);
        continue;
      }
      this.reopenIfDue();
      if (this.queue.length === 0 && this.inFlight < this.limit()) return this.take();
      const epoch = await this.waitForSlot(signal);
      if (epoch >= 0) return epoch;
    }
  }

  /** Gives an attempt a place in flight; in epoch 0 notes when the client became busy. */
  private take(): number {
    if (this.epoch === 0 && this.inFlight === 0) {
      const now = this.clock.now();
      this.busySince = now;
      this.quietBeforeInMs = now - this.quietSince;
    }
    this.inFlight += 1;
    return this.epoch;
  }

  private limit(): number {
    if (this.budget === Number.POSITIVE_INFINITY) return this.allowance;
    return Math.min(this.allowance, Math.max(1, this.budget - this.answered));
  }

  private close(retryAfterInMs: number): void {
    const now = this.clock.now();
    if (now + retryAfterInMs < this.windowEndsBy) {
      this.throttledAt = now;
      this.windowEndsBy = now + retryAfterInMs;
      this.retryAfterInWholeSeconds = retryAfterInMs % 1000 === 0;
    }
    this.closedInEpoch = this.epoch;
    this.closedBy = "throttled";
    this.reopensAt = Math.max(this.reopensAt, now + retryAfterInMs);
    // Those queued for a slot now wait for the reopening instead, each on its own signal.
    for (const waiter of this.queue.splice(0)) this.settle(waiter, -1);
  }

  /** The budget of this window has been answered: nothing more until the next window begins. */
  private closeUntilNextWindow(): void {
    this.raiseEstimate();
    this.closedInEpoch = this.epoch;
    this.closedBy = "window";
    this.reopensAt = this.firstAnswerAt! + this.windowInMs!;
    for (const waiter of this.queue.splice(0)) this.settle(waiter, -1);
  }

  private reopenIfDue(): void {
    if (this.closedInEpoch !== this.epoch) return;
    const now = this.clock.now();
    if (now < this.reopensAt) return;
    let scheduled = false;
    if (this.closedBy === "window") {
      // A whole window passed without a call: the limit is no longer near.
      if (now - this.reopensAt >= this.windowInMs!) this.forget();
      else scheduled = true;
    } else {
      this.learnFromThrottledEpoch();
    }
    this.budget = this.estimate;
    this.probesThrough = 0;
    this.epoch += 1;
    this.inFlight = 0;
    this.answered = 0;
    this.allowance = 1;
    this.epochStartedAt = now;
    this.firstAnswerAt = undefined;
    this.epochScheduled = scheduled;
    this.throttledAt = Number.POSITIVE_INFINITY;
    this.windowEndsBy = Number.POSITIVE_INFINITY;
  }

  /** A learned window's whole budget was answered without a 429: the next may allow more. */
  private raiseEstimate(): void {
    if (this.raisePending) {
      // The raised budget was answered in full: the limit is further up, so raise again, by more.
      this.raiseBy = Math.min(this.raiseBy * 2, this.estimate);
      this.raisePending = false;
      this.fullWindowsSinceRaise = this.windowsBetweenRaises;
    } else {
      this.fullWindowsSinceRaise += 1;
    }
    if (this.fullWindowsSinceRaise < this.windowsBetweenRaises) return;
    this.fullWindowsSinceRaise = 0;
    this.estimate += this.raiseBy;
    this.raisePending = true;
  }

  /**
   * A 429 taught the budget anew: raises start again at one; later if a raise had met the limit,
   * after one window if the 429 came before the budget was answered (another user took part of it).
   */
  private resetRaises(): void {
    if (this.raisePending) this.windowsBetweenRaises = Math.min(this.windowsBetweenRaises * 2, MOST_WINDOWS_BETWEEN_RAISES);
    else if (this.answered < this.budget && this.budget !== Number.POSITIVE_INFINITY) this.windowsBetweenRaises = 1;
    this.raiseBy = 1;
    this.fullWindowsSinceRaise = 0;
    this.raisePending = false;
  }

  private learnFromThrottledEpoch(): void {
    if (this.answered === 0) {
      if (this.epochScheduled) {
        // The window had not ended when it was thought to: learn it again, exactly this time.
        this.windowInMs = undefined;
        this.roundWindowToWholeSeconds = false;
      } else {
        // An epoch whose only answer was the 429 says nothing about the limit.
        this.forget();
      }
      return;
    }
    this.resetRaises();
    this.estimate = this.answered;
    // In epoch 0 the window began with the busy spell only if the client had been quiet for at
    // least as long as the window can be (say, a fresh client's first burst).
    const startedAt =
      this.epochStartedAt ?? (this.quietBeforeInMs >= this.windowEndsBy - this.busySince ? this.busySince : undefined);
    if (startedAt === undefined) return;
    // An epoch that ran for longer before its 429 than the wait it announced may have spanned
    // several windows (a slow server, a busy machine): its bound says nothing sure. Probe instead.
    if (this.throttledAt - startedAt >= this.windowEndsBy - this.throttledAt) {
      this.windowInMs = undefined;
      return;
    }
    const atMost = this.windowEndsBy - startedAt;
    const wholeSeconds = Math.floor(atMost / 1000) * 1000;
    // The window was still open when the 429 arrived, (nearly) that long after it began.
    const openFor = this.throttledAt - (this.firstAnswerAt ?? startedAt);
    const round = this.roundWindowToWholeSeconds && this.retryAfterInWholeSeconds && wholeSeconds > openFor;
    this.windowInMs = round ? wholeSeconds : atMost;
  }

  private forget(): void {
    this.estimate = Number.POSITIVE_INFINITY;
    this.windowInMs = undefined;
    this.resetRaises();
    this.windowsBetweenRaises = WINDOWS_BEFORE_FIRST_RAISE;
  }

  private widen(): void {
    this.answered += 1;
    this.allowance = Math.min(this.allowance * 2, Number.MAX_SAFE_INTEGER);
    if (this.budget === Number.POSITIVE_INFINITY) return;
    this.firstAnswerAt ??= this.clock.now();
    if (this.windowInMs !== undefined) {
      if (this.answered >= this.budget) this.closeUntilNextWindow();
      return;
    }
    if (this.answered > this.budget) {
      // A probe got through: the limit's window moved on (or the estimate was low): one more
      // window's worth. After a few, the limit is no longer near: the gate forgets it.
      this.probesThrough += 1;
      this.budget = this.probesThrough >= PROBES_TO_FORGET ? Number.POSITIVE_INFINITY : this.answered + this.estimate;
    }
  }

  private handOutSlots(): void {
    if (this.closedForInMs() > 0) return;
    this.reopenIfDue();
    while (this.queue.length > 0 && this.inFlight < this.limit()) this.settle(this.queue.shift()!, this.take());
  }

  private waitForSlot(signal: AbortSignal): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private settle(waiter: Waiter, epoch: number): void {
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(epoch);
  }
}
