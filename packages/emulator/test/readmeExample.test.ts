// The README's "From code" example, verbatim apart from the assertions that replace its logging:
// if this passes, the example works.
import { ClientSecretCredential } from "@azure/identity";
import { startEmulator } from "@graph-sync/emulator";
import { expect, it } from "vitest";

it("runs the README example", async () => {
  const emulator = await startEmulator(); // all ports free, state in memory, demo tenant seeded
  try {
    const credential = new ClientSecretCredential(emulator.tenantId, emulator.clientId, emulator.clientSecret, {
      authorityHost: emulator.loginUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emulator.caCertPem },
    });
    const { token } = await credential.getToken("https://graph.microsoft.com/.default");
    const code = await emulator.getAuthorizationCode(); // from the demo service principal's target
    const response = await fetch(
      `${emulator.graphUrl}/v1.0/servicePrincipals/${emulator.servicePrincipalId}/synchronization/acquireAccessToken`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: code }] }),
      },
    );
    expect(response.status).toBe(204);
    const { servicePrincipals } = await emulator.admin.state();
    expect(servicePrincipals[0]?.secrets.map((secret) => [secret.key, secret.value === "********"])).toEqual([
      ["Oauth2AccessToken", true],
      ["Oauth2RefreshToken", true],
      ["Oauth2AccessTokenCreationTime", false],
    ]);
  } finally {
    await emulator.close();
  }
});
