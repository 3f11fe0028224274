/**
 * Reads a `Retry-After` header as a wait in milliseconds.
 *
 * Graph sends whole seconds and sometimes fractional ones (its own sample is `2.128`); RFC 9110
 * also allows an HTTP date. Anything else (negative, empty, garbage) is ignored so the caller
 * falls back to exponential backoff rather than trusting a nonsensical value.
 *
 * @param nowInMs the current time, injectable so tests never depend on the wall clock
 */
export function parseRetryAfter(value: string | null | undefined, nowInMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.ceil(Number(text) * 1000);
  }
  // Only accept something that looks like a date (it has a letter, for the weekday or month):
  // `Date.parse` would otherwise read values such as "-1" or "1.5.2" as dates.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowInMs);
}
