/**
 * An AbortController the SDK owns, plus a cheap way to stop waiting for work that may ignore its
 * signal (a caller's credential or `fetch`): `race` settles with the work, or rejects with the
 * abort reason as soon as `abort` is called, even if the work goes on in the background.
 *
 * Built for the per-call path: one per call and one per attempt. Unlike `AbortSignal.any` and
 * `addEventListener` (see untilAborted.ts, for signals the SDK does not own), aborting calls the
 * pending rejections directly, so an ordinary call pays for one controller and one promise per
 * raced step, and nothing else.
 */
export class AbortScope {
  private readonly controller = new AbortController();
  /** Rejections of the races in progress; calling one of a settled race does nothing. */
  private rejections: Array<(reason: unknown) => void> | undefined;

  /** Fires when `abort` is called; hand it to the work so it can stop too. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborts the signal and every race in progress with `reason`. Later calls do nothing. */
  abort(reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    const rejections = this.rejections;
    this.rejections = undefined;
    if (rejections) for (const reject of rejections) reject(reason);
  }

  /** Settles with `promise`, or rejects with the abort reason as soon as the scope is aborted. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.controller.signal.aborted) {
      promise.catch(ignore);
      return Promise.reject(this.controller.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      (this.rejections ??= []).push(reject);
      promise.then(resolve, reject);
    });
  }
}

function ignore(): void {
  /* the work's own outcome no longer matters once the scope is aborted */
}
