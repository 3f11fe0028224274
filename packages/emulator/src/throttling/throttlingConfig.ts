import type { SchemaObject } from "ajv";

/** How a 429 states the wait. Graph sends integer seconds; clients must also cope with the rest. */
export type RetryAfterFormat = "integer" | "fractional" | "http-date" | "absent";

/**
 * Who must wait after a 429. `app`: every caller of the app in that tenant, until the window ends
 * (Graph counts and enforces its limits per application per tenant, and names that scope in
 * `x-ms-throttle-scope`). `request`: only the caller that was told (by its `client-request-id`),
 * whose wait starts over when it comes back early, as Dev Proxy enforces it: a test-double
 * convention, stricter with one careless client and laxer with many.
 */
export type ThrottleScope = "app" | "request";

export const throttleScopes: readonly ThrottleScope[] = ["app", "request"];

/** The per app+tenant request limits of the emulated Graph. */
export interface ThrottlingConfig {
  enabled: boolean;
  /** Who waits after a 429; `app` (the default) as Graph documents it. */
  scope: ThrottleScope;
  /** Resource units allowed per window; each acquireAccessToken POST costs one. */
  limit: number;
  windowSeconds: number;
  /** Write requests allowed per write window, alongside the resource units; each POST is one write. */
  writeLimit: number;
  writeWindowSeconds: number;
  retryAfterFormat: RetryAfterFormat;
}

/**
 * Graph's documented identity and access limits for a small tenant (under 50 users), per app and
 * tenant pair: 3,500 resource units per 10 seconds, and 3,000 writes per 2 minutes 30 seconds.
 */
export const defaultThrottlingConfig: Readonly<ThrottlingConfig> = {
  enabled: true,
  scope: "app",
  limit: 3500,
  windowSeconds: 10,
  writeLimit: 3000,
  writeWindowSeconds: 150,
  retryAfterFormat: "integer",
};

export const retryAfterFormats: readonly RetryAfterFormat[] = ["integer", "fractional", "http-date", "absent"];

/** JSON Schema of a throttling setting; absent fields take their defaults. */
export const throttlingConfigSchema: SchemaObject = {
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean" },
    scope: { enum: [...throttleScopes] },
    limit: { type: "integer", minimum: 1 },
    windowSeconds: { type: "number", exclusiveMinimum: 0, maximum: 3600 },
    writeLimit: { type: "integer", minimum: 1 },
    writeWindowSeconds: { type: "number", exclusiveMinimum: 0, maximum: 3600 },
    retryAfterFormat: { enum: [...retryAfterFormats] },
  },
};

/** Completes a partial setting with the defaults. */
export function resolveThrottlingConfig(partial: Partial<ThrottlingConfig> = {}): ThrottlingConfig {
  return { ...defaultThrottlingConfig, ...partial };
}
