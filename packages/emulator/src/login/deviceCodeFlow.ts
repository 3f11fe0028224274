import type { IncomingMessage } from "node:http";
import type { EmulatorClock } from "../clock.js";
import { annotateRequest } from "../http/requestLog.js";
import type { TenantRecord, UserRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import { resolveDelegatedScope } from "../tokens/graphResources.js";
import type { SigningKey } from "../tokens/signingKey.js";
import { authenticatePublicOrConfidentialClient, presentedClient } from "./clientSecrets.js";
import { issueDelegatedTokens, type DelegatedTokenResponseBody } from "./delegatedTokens.js";
import type { DeviceCodeRecord, DeviceCodeRegistry } from "./deviceCodes.js";
import { entraErrors } from "./loginErrors.js";
import { readOAuthForm, resolveTenant } from "./loginRequest.js";

export interface DeviceCodeFlowDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  signingKey: SigningKey;
  deviceCodes: DeviceCodeRegistry;
  loginUrl: () => string;
  /** The user to approve new codes as at once (`--auto-approve-device-codes`), if any. */
  autoApproveAs: () => string | null;
  deviceCodeLifetimeInSeconds: number;
  deviceCodePollingIntervalInSeconds: number;
  logger: (line: string) => void;
}

/** Entra's answer to a device authorization request (RFC 8628 §3.2, Entra's field names). */
export interface DeviceCodeResponseBody {
  user_code: string;
  device_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
}

/**
 * `POST /{tenant}/oauth2/v2.0/devicecode`: starts a sign-in for a public client. The user is shown
 * the user code and the verification page, `/devicelogin` on this host (deviceLoginPage.ts), where
 * they enter it, pick an account and approve or decline; scripts approve through the admin API
 * (`POST /device-codes/approve`) or at once with `--auto-approve-device-codes`.
 */
export async function startDeviceAuthorization(
  request: IncomingMessage,
  tenantSegment: string,
  dependencies: DeviceCodeFlowDependencies,
): Promise<DeviceCodeResponseBody> {
  const { store, clock, deviceCodes } = dependencies;
  const tenant = resolveTenant(store, tenantSegment, "invalid_request");
  annotateRequest(request, { tenantId: tenant.id });
  const form = await readOAuthForm(request);
  const clientId = form.get("client_id");
  if (!clientId) throw entraErrors.missingParameter("client_id");
  annotateRequest(request, { appId: clientId.slice(0, 100) });
  const scope = form.get("scope");
  if (!scope) throw entraErrors.missingParameter("scope");
  const application = store.findClientApplication(tenant.id, clientId);
  if (!application) throw entraErrors.applicationNotFound(clientId.slice(0, 100), tenant.id);
  const resolved = resolveDelegatedScope(scope);
  if (!resolved) throw entraErrors.invalidDelegatedScope(scope.slice(0, 200));

  const now = clock();
  const lifetimeInSeconds = dependencies.deviceCodeLifetimeInSeconds;
  const intervalInSeconds = dependencies.deviceCodePollingIntervalInSeconds;
  const { record, deviceCode } = deviceCodes.issue({
    tenantId: tenant.id,
    clientId: application.appId,
    scope: resolved,
    issuedAt: now,
    expiresAt: now + lifetimeInSeconds * 1000,
    intervalInMs: intervalInSeconds * 1000,
  });
  const autoApproveAs = dependencies.autoApproveAs();
  if (autoApproveAs !== null) {
    const user = store.findUser(tenant.id, autoApproveAs);
    if (user) approve(record, user);
    else dependencies.logger(`device code not auto-approved: no user '${autoApproveAs.slice(0, 100)}' in tenant ${tenant.id}`);
  }
  const verificationUri = `${dependencies.loginUrl()}/devicelogin`;
  return {
    user_code: record.userCode,
    device_code: deviceCode,
    verification_uri: verificationUri,
    expires_in: lifetimeInSeconds,
    interval: intervalInSeconds,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${record.userCode} to authenticate.`,
  };
}

export type { DelegatedTokenResponseBody };

/**
 * The token endpoint's device code grant (RFC 8628 §3.4–3.5): `authorization_pending` until the
 * user decides, `slow_down` for a poll before the interval is over, `expired_token` after the
 * code's lifetime, `authorization_declined`, and the tokens once, after approval.
 */
export async function redeemDeviceCode(
  request: IncomingMessage,
  form: URLSearchParams,
  tenant: TenantRecord,
  dependencies: DeviceCodeFlowDependencies,
): Promise<DelegatedTokenResponseBody> {
  const { store, clock, deviceCodes } = dependencies;
  const credentials = presentedClient(request, form);
  const presentedDeviceCode = form.get("device_code");
  if (!presentedDeviceCode) throw entraErrors.missingParameter("device_code");
  const application = store.findClientApplication(tenant.id, credentials.clientId);
  if (!application) throw entraErrors.applicationNotFound(credentials.clientId.slice(0, 100), tenant.id);
  authenticatePublicOrConfidentialClient(application, credentials.clientSecret, clock());

  const record = deviceCodes.findByDeviceCode(presentedDeviceCode);
  if (!record || record.tenantId !== tenant.id || record.clientId.toLowerCase() !== application.appId.toLowerCase()) {
    throw entraErrors.unknownDeviceCode();
  }
  const now = clock();
  const lastPolledAt = record.lastPolledAt;
  record.lastPolledAt = now;
  if (record.status === "redeemed") throw entraErrors.deviceCodeAlreadyRedeemed();
  if (record.status === "declined") throw entraErrors.authorizationDeclined();
  if (now >= record.expiresAt) throw entraErrors.expiredDeviceCode();
  if (record.status === "pending") {
    if (lastPolledAt !== undefined && now - lastPolledAt < record.intervalInMs) throw entraErrors.slowDown(record.intervalInMs / 1000);
    throw entraErrors.authorizationPending();
  }

  const user = record.approvedByUserId ? store.findUser(record.tenantId, record.approvedByUserId) : undefined;
  if (!user) throw entraErrors.unknownDeviceCode();
  // Spent before the tokens are signed (which awaits), so that a second poll racing this one is
  // told the code was redeemed instead of getting tokens too; given back if issuing fails.
  record.status = "redeemed";
  try {
    return await issueDelegatedTokens(application, user, record.scope, dependencies);
  } catch (error) {
    record.status = "approved";
    throw error;
  }
}

/**
 * The admin API's approval (and `--auto-approve-device-codes`): the user "enters the code and signs
 * in". Any user of the code's tenant may approve; Graph, not the sign-in, checks their role.
 */
export function approveDeviceCode(
  dependencies: Pick<DeviceCodeFlowDependencies, "store" | "clock" | "deviceCodes">,
  userCode: string,
  userReference: string,
): DeviceCodeRecord {
  const record = requireDecidable(dependencies, userCode);
  const user = dependencies.store.findUser(record.tenantId, userReference);
  if (!user) {
    throw new DeviceCodeDecisionError(400, `No user '${userReference.slice(0, 100)}' in tenant ${record.tenantId}, the tenant the code was issued for.`);
  }
  approve(record, user);
  return record;
}

/** The user declines the sign-in at the verification page: the client is told `authorization_declined`. */
export function declineDeviceCode(dependencies: Pick<DeviceCodeFlowDependencies, "clock" | "deviceCodes">, userCode: string): DeviceCodeRecord {
  const record = requireDecidable(dependencies, userCode);
  record.status = "declined";
  return record;
}

/** A device code that cannot be approved or declined; `status` is the admin API's answer. */
export class DeviceCodeDecisionError extends Error {
  override readonly name = "DeviceCodeDecisionError";
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

function requireDecidable(dependencies: Pick<DeviceCodeFlowDependencies, "clock" | "deviceCodes">, userCode: string): DeviceCodeRecord {
  const record = dependencies.deviceCodes.findByUserCode(userCode);
  if (!record) throw new DeviceCodeDecisionError(404, `No device code with the user code '${userCode.slice(0, 20)}'.`);
  if (dependencies.clock() >= record.expiresAt) throw new DeviceCodeDecisionError(409, `The user code '${record.userCode}' has expired.`);
  if (record.status !== "pending") throw new DeviceCodeDecisionError(409, `The user code '${record.userCode}' is already ${record.status}.`);
  return record;
}

function approve(record: DeviceCodeRecord, user: UserRecord): void {
  record.status = "approved";
  record.approvedByUserId = user.id;
}
