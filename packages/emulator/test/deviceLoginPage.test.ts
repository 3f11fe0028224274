// The login host's /devicelogin over HTTP (the browser tests drive it in Chromium with a real
// `graph-sync acquire-token --device-code`): the code entry, the account and app confirmation, and
// the answers to wrong, expired, used codes and forged forms.
import { describe, expect, it } from "vitest";
import { pollDeviceCode, requestDeviceCode } from "./support/emulatorClients.js";
import { send, type RawResponse } from "./support/httpClient.js";
import { shareEmulator } from "./support/sharedEmulator.js";

const shared = shareEmulator();

async function newDeviceCode(): Promise<{ userCode: string; deviceCode: string; verificationUri: string; message: string }> {
  const answer = await requestDeviceCode(
    shared.emulator,
    { client_id: shared.emulator.clientId, scope: "https://graph.microsoft.com/.default" },
    shared.emulator.tenantId,
  );
  const body = JSON.parse(answer.body) as { user_code: string; device_code: string; verification_uri: string; message: string };
  return { userCode: body.user_code, deviceCode: body.device_code, verificationUri: body.verification_uri, message: body.message };
}

/** A browser's session with the page: it keeps the cookie and sends back the hidden fields of the last page. */
class PageSession {
  private cookie = "";
  last: RawResponse | undefined;

  async open(): Promise<RawResponse> {
    return this.remember(await send(`${shared.emulator.loginUrl}/devicelogin`, { ca: shared.emulator.caCertPem }));
  }

  async submit(fields: Record<string, string>): Promise<RawResponse> {
    const form = new URLSearchParams();
    // What a browser sends: the hidden fields and the checked radio button.
    for (const match of this.last!.body.matchAll(/<input type="(?:hidden|radio)" name="([^"]*)" value="([^"]*)"( checked)?>/g)) {
      if (!match[0].includes("radio") || match[3]) form.set(match[1]!, match[2]!);
    }
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    return this.remember(
      await send(`${shared.emulator.loginUrl}/devicelogin`, {
        method: "POST",
        ca: shared.emulator.caCertPem,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: this.cookie },
        body: form.toString(),
      }),
    );
  }

  private remember(response: RawResponse): RawResponse {
    const setCookie = response.headers["set-cookie"]?.[0];
    if (setCookie) this.cookie = setCookie.split(";", 1)[0]!;
    this.last = response;
    return response;
  }
}

describe("/devicelogin", () => {
  it("is the page the device code message names, and lets the person approve as a user they pick", async () => {
    const code = await newDeviceCode();
    expect(code.verificationUri).toBe(`${shared.emulator.loginUrl}/devicelogin`);
    expect(code.message).toContain(`open the page ${shared.emulator.loginUrl}/devicelogin and enter the code ${code.userCode}`);

    const session = new PageSession();
    const entry = await session.open();
    expect(entry.status).toBe(200);
    expect(entry.body).toContain("Enter code");
    expect(String(entry.headers["content-security-policy"])).toContain("frame-ancestors 'none'");

    const pick = await session.submit({ otc: code.userCode.toLowerCase() });
    expect(pick.status).toBe(200);
    expect(pick.body).toContain("Are you trying to sign in to graph-sync demo automation?");
    expect(pick.body).toContain(shared.emulator.adminUserPrincipalName);
    expect(JSON.parse((await pollDeviceCode(shared.emulator, code.deviceCode)).body).error).toBe("authorization_pending");

    const done = await session.submit({ decision: "approve" });
    expect(done.status).toBe(200);
    expect(done.body).toContain("You have signed in to the <strong>graph-sync demo automation</strong> application on your device");
    shared.now += 10_000;
    const tokens = await pollDeviceCode(shared.emulator, code.deviceCode);
    expect(tokens.status).toBe(200);
    expect(done.body).not.toContain(code.deviceCode);
  });

  it("Cancel declines: the client is told authorization_declined", async () => {
    const code = await newDeviceCode();
    const session = new PageSession();
    await session.open();
    await session.submit({ otc: code.userCode });
    const done = await session.submit({ decision: "decline" });
    expect(done.body).toContain("You declined to sign in");
    expect(JSON.parse((await pollDeviceCode(shared.emulator, code.deviceCode)).body).error).toBe("authorization_declined");
  });

  it("answers wrong, expired and used codes on the page", async () => {
    const session = new PageSession();
    await session.open();
    expect((await session.submit({ otc: "NOTACODE1" })).body).toContain("That code didn&#39;t work");

    const used = await newDeviceCode();
    await shared.emulator.admin.approveDeviceCode(used.userCode, shared.emulator.adminUserPrincipalName);
    expect((await session.submit({ otc: used.userCode })).body).toContain("That code has already been used");

    const late = await newDeviceCode();
    shared.now += 901_000;
    const expired = await session.submit({ otc: late.userCode });
    expect(expired.status).toBe(400);
    expect(expired.body).toContain("That code has expired");
  });

  it("refuses forged forms and approves nothing", async () => {
    const code = await newDeviceCode();
    const session = new PageSession();
    await session.open();
    await session.submit({ otc: code.userCode });
    const forged = await session.submit({ decision: "approve", anti_forgery_token: "forged" });
    expect(forged.status).toBe(400);
    expect(forged.body).toContain("could not be verified");
    // A token made for another code does not approve this one.
    const other = await newDeviceCode();
    await session.submit({ otc: code.userCode });
    expect((await session.submit({ decision: "approve", otc: other.userCode })).body).toContain("could not be verified");
    expect((await shared.emulator.admin.deviceCodes()).every((summary) => summary.status === "pending")).toBe(true);
  });

  it("escapes what it echoes", async () => {
    const session = new PageSession();
    await session.open();
    const page = await session.submit({ otc: `<script>alert(1)</script>` });
    expect(page.body).not.toContain("<script>");
  });
});
