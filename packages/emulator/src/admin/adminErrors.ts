import type { HostFormat } from "../http/host.js";
import { DeviceCodeDecisionError } from "../login/deviceCodeFlow.js";
import { InvalidPayloadError } from "../payloadValidation.js";
import { SeedError } from "../state/seed.js";

/** An answer of the admin API other than success: HTTP status, a short code and a message. */
export class AdminError extends Error {
  override readonly name = "AdminError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/**
 * The admin API's side of the host skeleton (http/host.ts): `{ "error": { code, message } }`. The
 * errors of the state and settings it changes are the caller's mistakes (400, or 404/409 for a
 * device code); anything else is a 500 that says what failed, as the API is for local test tooling.
 */
export const adminFormat: HostFormat<undefined, AdminError> = {
  name: "admin",
  createContext: () => undefined,
  failureOf: (error) =>
    error instanceof AdminError
      ? error
      : error instanceof DeviceCodeDecisionError
        ? new AdminError(error.status, error.status === 404 ? "notFound" : error.status === 409 ? "conflict" : "invalidRequest", error.message)
        : error instanceof InvalidPayloadError || error instanceof SeedError
          ? new AdminError(400, "invalidRequest", error.message)
          : undefined,
  internalFailure: (error) => new AdminError(500, "internalError", error instanceof Error ? error.message : String(error)),
  requestFailure: (status, message) => new AdminError(status, "invalidRequest", message),
  errorCodeOf: (error) => error.code,
  render: (error) => ({
    status: error.status,
    headers: { ...error.headers, "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  }),
};
