import type { ThrottlingDecision } from "./resourceUnitLimiter.js";

/** Graph sends `x-ms-throttle-limit-percentage` only past this share of a limit. */
const reportingThreshold = 0.8;
/** The header's documented range ends here. */
const reportingCeiling = 1.8;

/**
 * Graph's throttling headers for identity and access, per app and tenant:
 * `x-ms-throttle-scope` is `<Scope>/<Limit>/<ApplicationId>/<TenantId>` (the limit being
 * `ReadWrite` for resource units, `Write` for the write quota: our reading, by analogy),
 * `x-ms-throttle-information` says which limit a 429 ran into, and
 * `x-ms-throttle-limit-percentage` (0.8 to 1.8) appears once a caller has used more than 80 % of a
 * limit, on successes as well as on 429s. The scope is sent with either of the other two, naming
 * the limit exceeded or nearest to it.
 */
export function throttleHeaders(caller: { appId: string; tenantId: string }, decision: ThrottlingDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  const nearing = decision.usedShareOfLimit > reportingThreshold;
  if (!decision.allowed || nearing) {
    const limit = decision.allowed ? decision.nearestLimit : decision.exceeded === "WriteLimitExceeded" ? "Write" : "ReadWrite";
    headers["x-ms-throttle-scope"] = `Tenant_Application/${limit}/${caller.appId}/${caller.tenantId}`;
  }
  if (!decision.allowed) headers["x-ms-throttle-information"] = decision.exceeded;
  if (nearing) {
    const share = Math.max(reportingThreshold, Math.min(reportingCeiling, Math.round(decision.usedShareOfLimit * 10) / 10));
    headers["x-ms-throttle-limit-percentage"] = share.toFixed(1);
  }
  return headers;
}
