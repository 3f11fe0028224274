/**
 * The error `promise` rejects with; fails when it resolves instead, or when `is` (a type guard such
 * as the SDK's isGraphSyncError) does not accept what it rejected with.
 */
export async function rejectionOf<T = Error>(promise: Promise<unknown>, is?: (error: unknown) => error is T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return accepted(error, is);
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** The same for a synchronous call: the error `call` throws. */
export function thrownBy<T = Error>(call: () => unknown, is?: (error: unknown) => error is T): T {
  try {
    call();
  } catch (error) {
    return accepted(error, is);
  }
  throw new Error("expected an error, but the call returned");
}

function accepted<T>(error: unknown, is: ((error: unknown) => error is T) | undefined): T {
  if (is && !is(error)) throw new Error(`expected ${is.name ? `an error that ${is.name} accepts` : "another error"}, got ${String(error)}`);
  return error as T;
}
