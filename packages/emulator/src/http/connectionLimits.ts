import type { ServerOptions } from "node:http";
import type { TlsOptions } from "node:tls";
import { InvalidPayloadError } from "../payloadValidation.js";

/**
 * How long a client may take over a connection before the emulator closes it. Node's defaults (a
 * minute for headers, five for a request, two for a TLS handshake, all checked only every 30 s) would
 * let a client that connects and stalls hold a connection for minutes; over loopback a legitimate
 * request arrives in milliseconds. Answers are not limited: the "stall" fault holds them on purpose
 * until the client gives up.
 */
export interface ConnectionLimits {
  /** From the connection (or the end of the previous request) to the end of the request headers. */
  headersTimeoutInMs: number;
  /** From the same start to the end of the whole request, body included. */
  requestTimeoutInMs: number;
  /** From the TCP connection to a finished TLS handshake, on the HTTPS hosts. */
  tlsHandshakeTimeoutInMs: number;
}

/** The limits the README states. */
export const defaultConnectionLimits: Readonly<ConnectionLimits> = {
  headersTimeoutInMs: 10_000,
  requestTimeoutInMs: 30_000,
  tlsHandshakeTimeoutInMs: 10_000,
};

/** Fills in the defaults and checks the combination Node would otherwise refuse with a bare RangeError. */
export function resolveConnectionLimits(given: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...defaultConnectionLimits, ...withoutUndefined(given) };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidPayloadError(`${name} must be a positive integer (milliseconds).`);
  }
  if (limits.headersTimeoutInMs > limits.requestTimeoutInMs) {
    throw new InvalidPayloadError(
      `headersTimeoutInMs (${limits.headersTimeoutInMs}) must not exceed requestTimeoutInMs (${limits.requestTimeoutInMs}): the headers are part of the request.`,
    );
  }
  return limits;
}

/**
 * The `node:http`/`node:https` server options that enforce `limits`. Node checks the header and
 * request timeouts on a timer (`connectionsCheckingInterval`, 30 s by default, which is how a 10 s
 * limit became 30 s): checking every tenth of the shorter limit, at most every second, enforces
 * each within 10% of its value.
 */
export function serverOptionsFor(limits: ConnectionLimits): { http: ServerOptions; https: ServerOptions & TlsOptions } {
  const http: ServerOptions = {
    headersTimeout: limits.headersTimeoutInMs,
    requestTimeout: limits.requestTimeoutInMs,
    connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(limits.headersTimeoutInMs / 10))),
    // Node's own check answers a request without Host with an empty 400; every host refuses it
    // itself, in its own format (http/requestTarget.ts).
    requireHostHeader: false,
  };
  return { http, https: { ...http, handshakeTimeout: limits.tlsHandshakeTimeoutInMs } };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
