import type { IncomingMessage } from "node:http";
import { readFormBody, RequestBodyTooLargeError } from "../http/incomingRequest.js";
import type { TenantRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import { entraErrors } from "./loginErrors.js";

// What every login endpoint reads from its request first: the tenant its path names and, for the
// token and device code endpoints, the form of parameters.

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves the `{tenant}` path segment (a tenant id or one of its domains). Like Entra, something
 * that is neither a GUID nor a domain name is refused as malformed (AADSTS900023), and an unknown
 * one as not found (AADSTS90002; the discovery endpoints call that `invalid_tenant`).
 */
export function resolveTenant(
  store: EmulatorStore,
  segment: string,
  notFoundError: "invalid_request" | "invalid_tenant",
): TenantRecord {
  const shown = segment.slice(0, 100);
  if (!guidPattern.test(segment) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(segment)) {
    throw entraErrors.invalidTenantFormat(shown);
  }
  const tenant = store.findTenant(segment);
  if (!tenant) throw entraErrors.tenantNotFound(shown, notFoundError);
  return tenant;
}

const maxTokenRequestInBytes = 64 * 1024;

/** Reads a token or device code request's form; Entra reads only form bodies. */
export async function readOAuthForm(request: IncomingMessage): Promise<URLSearchParams> {
  try {
    return await readFormBody(request, maxTokenRequestInBytes);
  } catch (error) {
    if (error instanceof RequestBodyTooLargeError) throw entraErrors.bodyTooLarge(error.limitInBytes);
    throw error;
  }
}
