import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

export const TEST_TOKEN = "test-access-token-0123456789abcdef";

export interface RecordingCredential extends TokenCredential {
  readonly calls: Array<{ scopes: string[]; options: GetTokenOptions }>;
}

/** A TokenCredential that hands out a fixed token and records what it was asked for. */
export function staticCredential(token = TEST_TOKEN): RecordingCredential {
  const calls: RecordingCredential["calls"] = [];
  return {
    calls,
    async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
      calls.push({ scopes: Array.isArray(scopes) ? scopes : [scopes], options });
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

/** A credential that fails with `error`. */
export function failingCredential(error: unknown): TokenCredential {
  return {
    getToken: async () => {
      throw error;
    },
  };
}

export const SP_ID = "11111111-2222-4333-8444-555555555555";
export const APP_ID = "66666666-7777-4888-9999-aaaaaaaaaaaa";
export const AUTH_CODE = "auth-code-SECRET-0.AbCdEf123456";
export const REDIRECT_URI = "https://target.example/callback";
