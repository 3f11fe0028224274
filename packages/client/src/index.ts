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
export { ErrorBodyHandler } from "./errorBodyHandler.js";
export { MAX_ERROR_BODY_BYTES, readBoundedBody, type BoundedBody } from "./boundedBody.js";
export { createDefaultMiddlewares } from "./defaultMiddlewares.js";
