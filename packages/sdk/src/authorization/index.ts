// @graph-sync/sdk/authorization: the Authorize step, the human half of authorizing the provisioning
// service. A person consents at the target application (its OAuth authorization page); the code
// it sends back to the redirect URI is what acquireAccessToken hands to Graph. These build the
// authorization URL with a fresh state and read the redirect back strictly; an entry point of its
// own because a call needs none of it.
export {
  createAuthorizationRequest,
  isLoopbackHttp,
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
} from "./authorizationRequest.js";
export {
  readAuthorizationResponse,
  type AuthorizationResponse,
  type ExpectedAuthorizationResponse,
} from "./authorizationResponse.js";
export {
  AuthorizationFlowError,
  isAuthorizationFlowError,
  type AuthorizationFlowFailure,
} from "./authorizationFlowError.js";
