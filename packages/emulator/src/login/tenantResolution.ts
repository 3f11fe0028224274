import type { TenantRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import { entraErrors } from "./loginErrors.js";

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
