// Minimal app: one authenticated acquireAccessToken call with global fetch only.
const env = process.env as Record<string, string>;
const login = await fetch(`https://login.microsoftonline.com/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
  method: "POST",
  body: new URLSearchParams({
    grant_type: "client_credentials",
    client_id: env.AZURE_CLIENT_ID!,
    client_secret: env.AZURE_CLIENT_SECRET!,
    scope: "https://graph.microsoft.com/.default",
  }),
});
const { access_token: token } = (await login.json()) as { access_token: string };
const answer = await fetch(
  `https://graph.microsoft.com/v1.0/servicePrincipals/${env.SERVICE_PRINCIPAL_ID}/synchronization/acquireAccessToken`,
  {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: env.AUTHORIZATION_CODE }] }),
  },
);
console.log(answer.status);
