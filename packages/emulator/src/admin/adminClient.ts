import type { AccessConfig } from "../accessConfig.js";
import type { FaultConfig, FaultConfigInput } from "../faults/faultConfig.js";
import type { DeviceCodeSummary } from "../login/deviceCodes.js";
import type { RequestLogEntry } from "../http/requestLog.js";
import type { MaskedState } from "../state/maskedState.js";
import type { SeedRequest, SeedResult } from "../state/seed.js";
import type { ThrottlingConfig } from "../throttling/throttlingConfig.js";
import type { ResetTarget } from "./adminRequestHandler.js";

/** An admin API call that did not succeed. */
export class AdminApiError extends Error {
  override readonly name = "AdminApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A typed client of the admin API, for tests and tools. Works against any running emulator, in this
 * process or another (e.g. one started with the CLI), given its `adminUrl`.
 */
export class AdminClient {
  constructor(readonly adminUrl: string) {}

  /** Everything the emulator holds, with secret values masked. */
  state(): Promise<MaskedState> {
    return this.call("GET", "/state");
  }

  /** The most recent requests to the Graph, login and target hosts, oldest first. */
  requests(options: { limit?: number } = {}): Promise<RequestLogEntry[]> {
    return this.call("GET", options.limit === undefined ? "/requests" : `/requests?limit=${options.limit}`);
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/requests");
  }

  /** Back to the state at start (default) or to an empty directory; clears log and throttling. */
  async reset(to: ResetTarget = "initial"): Promise<void> {
    await this.call("POST", "/reset", { to });
  }

  /** Creates or replaces objects; the answer includes generated ids and secrets. */
  seed(objects: SeedRequest): Promise<SeedResult> {
    return this.call("POST", "/seed", objects);
  }

  throttling(): Promise<ThrottlingConfig> {
    return this.call("GET", "/throttling");
  }

  /** Replaces the throttling setting; absent fields take their defaults. */
  setThrottling(config: Partial<ThrottlingConfig>): Promise<ThrottlingConfig> {
    return this.call("PUT", "/throttling", config);
  }

  faults(): Promise<FaultConfig> {
    return this.call("GET", "/faults");
  }

  /** Replaces the fault setting (and restarts its random sequence); absent fields take defaults. */
  setFaults(config: FaultConfigInput): Promise<FaultConfig> {
    return this.call("PUT", "/faults", config);
  }

  /** How permission refusals are answered, and whether device codes are approved at once. */
  access(): Promise<AccessConfig> {
    return this.call("GET", "/access");
  }

  /** Replaces the access setting; absent fields take their defaults. */
  setAccess(config: Partial<AccessConfig>): Promise<AccessConfig> {
    return this.call("PUT", "/access", config);
  }

  /** The device codes issued (pending, approved, declined, redeemed or expired). */
  deviceCodes(): Promise<DeviceCodeSummary[]> {
    return this.call("GET", "/device-codes");
  }

  /**
   * Approves a pending device code as a user of the code's tenant (user principal name or object id),
   * as if they had entered the user code and signed in; the client's next poll gets the tokens.
   */
  approveDeviceCode(userCode: string, user: string): Promise<DeviceCodeSummary> {
    return this.call("POST", "/device-codes/approve", { userCode, user });
  }

  /** Declines a pending device code: the client's next poll gets `authorization_declined`. */
  declineDeviceCode(userCode: string): Promise<DeviceCodeSummary> {
    return this.call("POST", "/device-codes/decline", { userCode });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { "Content-Type": "application/json" };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${this.adminUrl}${path}`, init);
    const text = await response.text();
    if (!response.ok) {
      let code = "unknown";
      let message = text;
      try {
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
        code = parsed.error?.code ?? code;
        message = parsed.error?.message ?? message;
      } catch {
        // Not our JSON: keep the raw text.
      }
      throw new AdminApiError(response.status, code, `Admin API ${method} ${path} failed with ${response.status}: ${message}`);
    }
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
}
