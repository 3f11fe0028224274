// The caller's input, read once and bounded before anything else looks at it: the call's
// arguments (target, credentials) copied as plain data, the call's options object, and the time
// limits of the client and the call.
import { GraphSyncError, type ValidationIssue } from "../errors/graphSyncError.js";
import type { AcquireAccessTokenOptions } from "../models.js";
import { validationError } from "./messages.js";

/**
 * Graph knows 45 synchronization secret keys and each may be given once, so a valid `credentials`
 * has at most 45 entries. Anything far beyond is refused before it is looked at, whatever its
 * shape: a sparse array of length 10^7 must not cost 10^7 iterations (or the memory for them).
 */
export const MAX_CREDENTIAL_ENTRIES = 100;

/** An item of the list form has `key` and `value`; a few extra properties are reported, not thousands. */
const MAX_ITEM_PROPERTIES = 10;

/** Plain data: what validation looks at, read from the caller's input exactly once. */
type Snapshot = string | number | boolean | bigint | symbol | null | undefined | Snapshot[] | { [key: string]: Snapshot };

/**
 * A copy of the caller's `credentials` or `target` as plain data, made before any other check.
 *
 * The input is the caller's and may be anything: an object with getters that throw or return a
 * different value on each read, a Proxy, a huge sparse array. Each property is read once, here, and
 * validation then works on the copy; a read that throws becomes a `validation` GraphSyncError
 * (not a bare TypeError), and the sizes are bounded before anything is iterated. Nested values
 * are kept only as far as validation looks (an item's key and value); deeper ones become an empty
 * object or list, whose type is all a message reports.
 */
export function snapshotInput(subject: "credentials" | "target", input: unknown): unknown {
  try {
    return copy(subject, input, 0, subject === "target" ? targetSizeMessage : credentialsSizeMessage);
  } catch (error) {
    if (error instanceof TooLarge) throw validationError(subject, [error.issue]);
    throw validationError(subject, [
      { path: subject, message: "could not be read: reading one of its properties threw (a getter or a Proxy?); pass plain data" },
    ]);
  }
}

class TooLarge extends Error {
  constructor(readonly issue: ValidationIssue) {
    super(issue.message);
  }
}

type SizeMessage = (count: number, what: "entries" | "keys") => string;

/** The issue's message for credentials with more entries than may be sent; also used by the JSON reader. */
export const credentialsSizeMessage: SizeMessage = (count, what) =>
  `has ${count} ${what}; Graph knows 45 secret keys and each may be given once, so at most 45 can be sent (the SDK refuses more than ${MAX_CREDENTIAL_ENTRIES})`;

const targetSizeMessage: SizeMessage = (count, what) =>
  `has ${count} ${what}; a target is { servicePrincipalId } or { applicationId }`;

/**
 * `depth` 0 is the input itself, 1 an item of the list form (whose key and value are checked);
 * the values of the keyed form and anything deeper are only reported by type.
 */
function copy(path: string, value: unknown, depth: number, sizeMessage: SizeMessage, isListItem = false): Snapshot {
  if (typeof value === "function") return {};
  if (typeof value !== "object" || value === null) return value as Snapshot;
  if (depth >= 2 || (depth === 1 && !isListItem) || (depth > 0 && Array.isArray(value))) return Array.isArray(value) ? [] : {};
  if (Array.isArray(value)) {
    const length = value.length;
    if (depth === 0 && length > MAX_CREDENTIAL_ENTRIES) {
      throw new TooLarge({ path, message: sizeMessage(length, "entries") });
    }
    const items: Snapshot[] = [];
    for (let index = 0; index < length; index++) items.push(copy(`${path}[${index}]`, value[index], depth + 1, sizeMessage, true));
    return items;
  }
  // Keep the kind of object: validation accepts only plain objects (not a Map, a class instance…).
  const prototype = Object.getPrototypeOf(value) as unknown;
  // Refused for its kind anyway, and its keys would be made on demand: 10^7 of them for 10^7 elements.
  if (ArrayBuffer.isView(value)) return Object.create(prototype as object | null) as Snapshot;
  const keys = Object.keys(value);
  const limit = depth === 0 ? MAX_CREDENTIAL_ENTRIES : MAX_ITEM_PROPERTIES;
  if (keys.length > limit) {
    throw new TooLarge({
      path,
      message: depth === 0 ? sizeMessage(keys.length, "keys") : `has ${keys.length} properties; each item is { key, value }`,
    });
  }
  const result: { [key: string]: Snapshot } = prototype === Object.prototype ? {} : Object.create(prototype as object | null);
  for (const key of keys) {
    const item = copy(`${path}.${key}`, (value as Record<string, unknown>)[key], depth + 1, sizeMessage);
    // Defined, not assigned: a key named "__proto__" (valid JSON) must stay a key.
    Object.defineProperty(result, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Node's timers cap at 2^31-1 ms (about 24.8 days); longer values would fire at once. */
export const MAX_DURATION_IN_MS = 2_147_483_647;

/**
 * Checks an optional `…InMs` option: a positive, finite number of milliseconds. `kind` is
 * `configuration` for client options and `validation` for per-call options.
 */
export function validateDuration(
  name: string,
  value: number | undefined,
  kind: "validation" | "configuration" = "validation",
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_DURATION_IN_MS) {
    const message = `must be a number of milliseconds from 1 to ${MAX_DURATION_IN_MS}`;
    throw new GraphSyncError(`${name} ${message}.`, {
      kind,
      code: kind === "validation" ? "InvalidInput" : "InvalidTimeout",
      issues: [{ path: name, message }],
    });
  }
  return value;
}

/**
 * The call's options, each read once and checked for its type: a getter that throws, a Proxy or a
 * value of the wrong type becomes a `validation` error rather than a TypeError from deep inside.
 */
export function readCallOptions(options: AcquireAccessTokenOptions | null | undefined): AcquireAccessTokenOptions {
  if (options === undefined || options === null) return {};
  let copy: AcquireAccessTokenOptions;
  try {
    const { abortSignal, timeoutInMs, attemptTimeoutInMs, clientRequestId } = options;
    copy = { abortSignal, timeoutInMs, attemptTimeoutInMs, clientRequestId };
  } catch (error) {
    throw new GraphSyncError("The call's options could not be read: reading one of them threw (a getter or a Proxy?); pass plain data.", {
      kind: "validation",
      code: "InvalidInput",
      issues: [{ path: "options", message: "could not be read" }],
      cause: error,
    });
  }
  if (copy.abortSignal !== undefined && !(copy.abortSignal instanceof AbortSignal)) {
    throw invalidOption("options.abortSignal", "must be an AbortSignal (for example AbortSignal.timeout(30_000))");
  }
  if (copy.clientRequestId !== undefined && (typeof copy.clientRequestId !== "string" || !CLIENT_REQUEST_ID_PATTERN.test(copy.clientRequestId))) {
    throw invalidOption("options.clientRequestId", "must be 1–128 visible ASCII characters (a UUID is best)");
  }
  return copy;
}

function invalidOption(path: string, message: string): GraphSyncError {
  return new GraphSyncError(`${path} ${message}.`, { kind: "validation", code: "InvalidInput", issues: [{ path, message }] });
}

/** Header values must be visible ASCII; Graph echoes the id, so keep it short too. */
const CLIENT_REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
