/**
 * The explanation every error gets when a request may have reached Graph but no answer came back.
 * Shared so the wording (and the advice) is the same for timeouts, aborts and broken connections.
 */
export const NOT_RETRIED_EXPLANATION =
  "The request had already been sent, so Graph may have carried it out. The SDK does not retry such a " +
  "request automatically: an authorization code can be redeemed only once, and a blind retry would turn " +
  "a success into a confusing 'code already redeemed' failure. Check whether provisioning is now " +
  "authorized (for example with Test Connection in the Microsoft Entra admin center) before calling " +
  "again with a new authorization code.";
