import type { SchemaObject } from "ajv";

/** How a 429 states the wait. Graph sends integer seconds; clients must also cope with the rest. */
export type RetryAfterFormat = "integer" | "fractional" | "http-date" | "absent";

/** The per app+tenant request limit of the emulated Graph. */
export interface ThrottlingConfig {
  enabled: boolean;
  /** Resource units allowed per window; each acquireAccessToken POST costs one. */
  limit: number;
  windowSeconds: number;
  retryAfterFormat: RetryAfterFormat;
}

/**
 * Graph's documented identity and access limit for a small tenant (under 50 users): 3,500 resource
 * units per 10 seconds per app and tenant pair.
 */
export const defaultThrottlingConfig: Readonly<ThrottlingConfig> = {
  enabled: true,
  limit: 3500,
  windowSeconds: 10,
  retryAfterFormat: "integer",
};

export const retryAfterFormats: readonly RetryAfterFormat[] = ["integer", "fractional", "http-date", "absent"];

/** JSON Schema of a throttling setting; absent fields take their defaults. */
export const throttlingConfigSchema: SchemaObject = {
  type: "object",
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean" },
    limit: { type: "integer", minimum: 1 },
    windowSeconds: { type: "number", exclusiveMinimum: 0, maximum: 3600 },
    retryAfterFormat: { enum: [...retryAfterFormats] },
  },
};

/** Completes a partial setting with the defaults. */
export function resolveThrottlingConfig(partial: Partial<ThrottlingConfig> = {}): ThrottlingConfig {
  return { ...defaultThrottlingConfig, ...partial };
}
