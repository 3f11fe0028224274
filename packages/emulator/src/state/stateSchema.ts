import type { SchemaObject } from "ajv";
import { createPayloadValidator } from "../payloadValidation.js";
import type {
  AuthorizationCodeRecord,
  ClientApplicationRecord,
  ClientSecretRecord,
  DemoFacts,
  EmulatorStateDocument,
  SynchronizationObjectRecord,
  SynchronizationSecretRecord,
  TargetClientRecord,
  TenantRecord,
  UserRecord,
} from "./model.js";

/**
 * The JSON Schema of `state.json`, checked when a saved state is loaded, so that a file edited by
 * hand or damaged is refused at start with the field that is wrong, instead of crashing later or
 * answering 500 to every request.
 *
 * Each record's schema is tied to its type in `model.ts` by {@link recordSchema}: the compiler
 * insists on a schema for every field of the type and on the exact list of its optional fields, so
 * a field added to the model does not compile until it is described here too. To extend the state,
 * add the field to the record type, then its entry here; a new record type gets its own
 * `recordSchema<NewRecord>(...)` and an array (or object) field in {@link stateDocumentSchema}.
 * A state written before a field existed has no such field: make it optional (and give it a default
 * where the state is loaded), or raise `formatVersion`.
 */

const text = { type: "string" } as const;
const texts = { type: "array", items: text } as const;

/** Keys of `T` that may be left out. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * A closed object schema for `T`: `properties` must describe every field of `T`, and `optional` must
 * name exactly its optional ones; all others are required. Unknown fields are refused, as they would
 * otherwise be dropped silently at the next write.
 */
function recordSchema<T>(
  properties: { [K in keyof Required<T>]: SchemaObject },
  optional: { [K in OptionalKeys<T>]: true },
): SchemaObject {
  return {
    type: "object",
    additionalProperties: false,
    required: Object.keys(properties).filter((key) => !(key in optional)),
    properties,
  };
}

const tenantSchema = recordSchema<TenantRecord>({ id: text, displayName: text, domains: texts }, {});

const clientSecretSchema = recordSchema<ClientSecretRecord>({ keyId: text, displayName: text, value: text, endDateTime: text }, {});

const clientApplicationSchema = recordSchema<ClientApplicationRecord>(
  {
    tenantId: text,
    appId: text,
    displayName: text,
    servicePrincipalId: text,
    roles: texts,
    delegatedPermissions: texts,
    allowPublicClientFlows: { type: "boolean" },
    secrets: { type: "array", items: clientSecretSchema },
  },
  // Absent in states saved before delegated sign-in existed.
  { delegatedPermissions: true, allowPublicClientFlows: true },
);

const userSchema = recordSchema<UserRecord>(
  {
    tenantId: text,
    id: text,
    userPrincipalName: text,
    displayName: text,
    directoryRoleTemplateIds: texts,
    personalAccount: { type: "boolean" },
  },
  { personalAccount: true },
);

const synchronizationSecretSchema = recordSchema<SynchronizationSecretRecord>(
  { key: text, value: { type: ["string", "null"] } },
  {},
);

const synchronizationObjectSchema = recordSchema<SynchronizationObjectRecord>(
  {
    kind: { enum: ["application", "servicePrincipal"] },
    id: text,
    tenantId: text,
    displayName: text,
    owners: texts,
    targetClientId: text,
    secrets: { type: "array", items: synchronizationSecretSchema },
    tokenAcquisitions: { type: "integer", minimum: 0 },
  },
  { targetClientId: true },
);

const targetClientSchema = recordSchema<TargetClientRecord>(
  { clientId: text, clientSecret: text, displayName: text, redirectUris: texts },
  {},
);

const authorizationCodeSchema = recordSchema<AuthorizationCodeRecord>(
  { codeHash: text, clientId: text, redirectUri: text, scope: text, issuedAt: text, expiresAt: text, redeemedAt: text },
  { redeemedAt: true },
);

const demoFactsSchema = recordSchema<DemoFacts>(
  { tenantId: text, clientId: text, servicePrincipalId: text, applicationId: text, targetClientId: text, adminUserPrincipalName: text },
  { adminUserPrincipalName: true },
);

export const stateDocumentSchema = recordSchema<EmulatorStateDocument>(
  {
    formatVersion: { const: 1 },
    tenants: { type: "array", items: tenantSchema },
    clientApplications: { type: "array", items: clientApplicationSchema },
    synchronizationObjects: { type: "array", items: synchronizationObjectSchema },
    targetClients: { type: "array", items: targetClientSchema },
    authorizationCodes: { type: "array", items: authorizationCodeSchema },
    users: { type: "array", items: userSchema },
    demo: demoFactsSchema,
  },
  { users: true, demo: true },
);

/**
 * Returns `value` as a state document, or throws an `InvalidPayloadError` whose message names the
 * first field that is wrong (`state/tenants/0 must have required property 'domains'`). The
 * messages come from the schema only (types, names of required fields), never from the file's values.
 */
export const validateStateDocument = createPayloadValidator<EmulatorStateDocument>(stateDocumentSchema, "state");
