import { randomInt } from "node:crypto";
import { newOpaqueValue, sha256Hex } from "../state/randomValues.js";
import type { DelegatedScopeRequest } from "../tokens/graphResources.js";

/** What has become of a device code. */
export type DeviceCodeStatus = "pending" | "approved" | "declined" | "redeemed";

/** A device code the login host issued: who asked, for what, and what the user decided. */
export interface DeviceCodeRecord {
  /** SHA-256 of the device code (the secret the client polls with); the code itself is not kept. */
  deviceCodeHash: string;
  /** What the user types at the verification page (not a secret: it is shown on screen). */
  userCode: string;
  tenantId: string;
  clientId: string;
  scope: DelegatedScopeRequest;
  issuedAt: number;
  expiresAt: number;
  intervalInMs: number;
  /** When the client last polled, to tell a client that polls too fast (`slow_down`). */
  lastPolledAt?: number;
  status: DeviceCodeStatus;
  /** The user who approved the sign-in (object id). */
  approvedByUserId?: string;
}

/** The admin API's view of a device code. */
export interface DeviceCodeSummary {
  userCode: string;
  tenantId: string;
  clientId: string;
  status: DeviceCodeStatus | "expired";
  expiresAt: string;
  approvedByUserId?: string;
}

/** Entra's user codes: 9 characters from an alphabet without easily confused letters. */
const userCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const userCodeLength = 9;

/** More pending codes than this is a runaway client; the oldest are dropped first. */
const maxDeviceCodes = 10_000;

/**
 * The device codes of the device authorization grant (RFC 8628), in memory: they live 15 minutes,
 * so they are not worth persisting (a restart ends pending sign-ins, which clients then report as
 * expired or unknown). Expired codes are kept for one more lifetime so that a late poll is told
 * `expired_token` rather than that the code is unknown.
 */
export class DeviceCodeRegistry {
  private readonly byHash = new Map<string, DeviceCodeRecord>();

  /** Issues a new code; returns the record and the device code (given to the client only). */
  issue(details: Omit<DeviceCodeRecord, "deviceCodeHash" | "userCode" | "status">): { record: DeviceCodeRecord; deviceCode: string } {
    this.prune(details.issuedAt);
    const deviceCode = newOpaqueValue("DAQABIQEAAAD");
    let userCode = newUserCode();
    while (this.findByUserCode(userCode)) userCode = newUserCode();
    const record: DeviceCodeRecord = { ...details, deviceCodeHash: sha256Hex(deviceCode), userCode, status: "pending" };
    this.byHash.set(record.deviceCodeHash, record);
    return { record, deviceCode };
  }

  findByDeviceCode(deviceCode: string): DeviceCodeRecord | undefined {
    return this.byHash.get(sha256Hex(deviceCode));
  }

  findByUserCode(userCode: string): DeviceCodeRecord | undefined {
    const wanted = userCode.replaceAll("-", "").toUpperCase();
    for (const record of this.byHash.values()) if (record.userCode === wanted) return record;
    return undefined;
  }

  list(now: number): DeviceCodeSummary[] {
    return [...this.byHash.values()].map((record) => summarizeDeviceCode(record, now));
  }

  clear(): void {
    this.byHash.clear();
  }

  private prune(now: number): void {
    for (const [hash, record] of this.byHash) {
      if (now >= record.expiresAt + (record.expiresAt - record.issuedAt)) this.byHash.delete(hash);
    }
    // Map iteration is in insertion order: the oldest go first.
    for (const hash of this.byHash.keys()) {
      if (this.byHash.size < maxDeviceCodes) break;
      this.byHash.delete(hash);
    }
  }
}

/** What the admin API shows of a device code: never the device code itself. */
export function summarizeDeviceCode(record: DeviceCodeRecord, now: number): DeviceCodeSummary {
  const summary: DeviceCodeSummary = {
    userCode: record.userCode,
    tenantId: record.tenantId,
    clientId: record.clientId,
    status: record.status === "pending" && now >= record.expiresAt ? "expired" : record.status,
    expiresAt: new Date(record.expiresAt).toISOString(),
  };
  if (record.approvedByUserId) summary.approvedByUserId = record.approvedByUserId;
  return summary;
}

function newUserCode(): string {
  let code = "";
  for (let index = 0; index < userCodeLength; index += 1) code += userCodeAlphabet[randomInt(userCodeAlphabet.length)];
  return code;
}
