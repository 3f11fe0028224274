// @graph-sync/sdk/tooling: building blocks that tools on top of the SDK (the graph-sync CLI in
// @graph-sync/cli, and anything like it) need to behave as the SDK does: check input before a
// sign-in with the same rules and wording, read a credentials file strictly, redact what the SDK
// would redact, suggest a name for a typo, describe beta's deprecation. An entry point apart from
// the library's API, so an application's calls load none of it. Each is a small function with no
// state of its own, except redact, which reads the secrets the SDK registered (client secrets, tokens).
export { redact } from "./errors/redaction.js";
export { parseCredentialsJson } from "./validation/parseCredentialsJson.js";
export { validateCredentials } from "./validation/validateCredentials.js";
export type { SynchronizationSecretEntry } from "./validation/credentialTypes.js";
export type { SynchronizationSecretKey } from "./validation/schemas.js";
export { validateTogether } from "./validation/messages.js";
export { DEVICE_CODE_LIFETIME } from "./failures/credentialAdvice.js";
export { describeTarget, validateTarget, type ResolvedTarget } from "./validation/validateTarget.js";
export { closestMatch } from "./validation/messages.js";
export { betaDeprecation, type BetaDeprecation } from "./generated/betaDeprecation.js";
