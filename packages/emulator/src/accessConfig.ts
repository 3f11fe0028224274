import type { SchemaObject } from "ajv";

/**
 * How the emulated Graph answers a caller whose token it accepted but whose permission (or
 * ownership) does not allow the action:
 * - `unknown-error`: 401 `{"code":"UnknownError","message":""}`, what users report from the
 *   synchronization service on its sibling endpoints (not verified on this action);
 * - `forbidden`: Graph's generic 403 `Authorization_RequestDenied`.
 */
export type PermissionDenialStyle = "unknown-error" | "forbidden";

export const permissionDenialStyles: readonly PermissionDenialStyle[] = ["unknown-error", "forbidden"];

/** Settings of sign-in and access checks; like throttling, they are not part of the persisted state. */
export interface AccessConfig {
  permissionDenial: PermissionDenialStyle;
  /**
   * Approve every new device code at once as this user (user principal name or object id, looked up
   * in the code's tenant), as if they had entered it at the verification page. `null`: codes wait
   * for an approval through the admin API.
   */
  autoApproveDeviceCodes: string | null;
}

export const defaultAccessConfig: Readonly<AccessConfig> = {
  permissionDenial: "unknown-error",
  autoApproveDeviceCodes: null,
};

/** JSON Schema of an access setting; absent fields take their defaults. */
export const accessConfigSchema: SchemaObject = {
  type: "object",
  additionalProperties: false,
  properties: {
    permissionDenial: { enum: [...permissionDenialStyles] },
    autoApproveDeviceCodes: { type: "string", minLength: 1, maxLength: 256, nullable: true },
  },
};

export function resolveAccessConfig(partial: Partial<AccessConfig> = {}): AccessConfig {
  return { ...defaultAccessConfig, ...partial };
}
