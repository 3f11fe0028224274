// The public face of @graph-sync/client: Kiota's output, re-exported as generated, plus one
// hand-written middleware (ErrorBodyHandler, with its bounded body reader); the wrapper with auth,
// retries and friendly errors is @graph-sync/sdk.
export { createGraphSyncClient, type GraphSyncClient } from "./generated/graphSyncClient.js";
export {
  SynchronizationSecretObject,
  createSynchronizationSecretKeyStringValuePairFromDiscriminatorValue,
  serializeSynchronizationSecretKeyStringValuePair,
  type SynchronizationSecret,
  type SynchronizationSecretKeyStringValuePair,
} from "./generated/models/index.js";
export {
  createODataErrorFromDiscriminatorValue,
  type ErrorDetails,
  type InnerError,
  type MainError,
  type ODataError,
} from "./generated/models/oDataErrors/index.js";
export {
  serializeAcquireAccessTokenPostRequestBody,
  type AcquireAccessTokenPostRequestBody,
  type AcquireAccessTokenRequestBuilder,
} from "./generated/servicePrincipals/item/synchronization/acquireAccessToken/index.js";
// The request builders between the client and the action, as types only: they are what
// `client.servicePrincipals.byServicePrincipalId(id).synchronization.acquireAccessToken` returns
// step by step, so they belong to the client's public surface. The two paths' builders share
// Kiota's names; the application path's are exported under names that say so.
export type { ServicePrincipalsRequestBuilder } from "./generated/servicePrincipals/index.js";
export type { ServicePrincipalItemRequestBuilder } from "./generated/servicePrincipals/item/index.js";
export type { SynchronizationRequestBuilder as ServicePrincipalSynchronizationRequestBuilder } from "./generated/servicePrincipals/item/synchronization/index.js";
export type { ApplicationsRequestBuilder } from "./generated/applications/index.js";
export type { ApplicationItemRequestBuilder } from "./generated/applications/item/index.js";
export type { SynchronizationRequestBuilder as ApplicationSynchronizationRequestBuilder } from "./generated/applications/item/synchronization/index.js";
export type {
  AcquireAccessTokenPostRequestBody as ApplicationAcquireAccessTokenPostRequestBody,
  AcquireAccessTokenRequestBuilder as ApplicationAcquireAccessTokenRequestBuilder,
} from "./generated/applications/item/synchronization/acquireAccessToken/index.js";
export { ErrorBodyHandler } from "./errorBodyHandler.js";
export { MAX_ERROR_BODY_BYTES, readBoundedBody, type BoundedBody } from "./boundedBody.js";
export { createDefaultMiddlewares } from "./defaultMiddlewares.js";
