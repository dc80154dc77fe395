// A local stand-in for GitHub's and Google's OAuth endpoints, answering the way they do:
// authorize redirects back with code+state (or error=access_denied), token exchanges check
// client credentials, redirect_uri, single use and PKCE; GitHub reports bad codes with HTTP
// 200 and an `error` field, Google with 400 invalid_grant; GitHub's /user/emails carries
// `verified` flags and Google's ID token carries `email_verified`.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { freePort } from "@animateimg/local-services";
import type { GitHubOAuthConfig, GoogleOAuthConfig } from "../oauth/oauth-config";

export interface FakeGitHubUser {
  id: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

export interface FakeGoogleUser {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  picture: string | null;
}

interface IssuedCode {
  provider: "github" | "google";
  clientId: string;
  redirectUri: string | null;
  codeChallenge: string | null;
  user: FakeGitHubUser | FakeGoogleUser;
  used: boolean;
}

export interface FakeOAuthServer {
  baseUrl: string;
  github: GitHubOAuthConfig;
  google: GoogleOAuthConfig;
  /** Google's userinfo endpoint (the app reads the ID token instead; kept for parity). */
  googleUserInfoUrl: string;
  /** Who "signs in" at the next authorize request. */
  setGitHubUser(user: FakeGitHubUser): void;
  setGoogleUser(user: FakeGoogleUser): void;
  /** The next authorize request is declined by the user (error=access_denied). */
  denyNext(): void;
  /** Token requests seen, for asserting what the app sent. */
  tokenRequests: Array<{ provider: string; body: Record<string, string>; authorization: string | null }>;
  close(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

export async function startFakeOAuthServer(
  options: { clientId?: string; clientSecret?: string } = {},
): Promise<FakeOAuthServer> {
  const clientId = options.clientId ?? "fake-client-id";
  const clientSecret = options.clientSecret ?? "fake-client-secret";
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, FakeGitHubUser>();
  const googleAccessTokens = new Map<string, FakeGoogleUser>();
  const tokenRequests: FakeOAuthServer["tokenRequests"] = [];
  let githubUser: FakeGitHubUser | null = null;
  let googleUser: FakeGoogleUser | null = null;
  let deny = false;

  function authorize(provider: "github" | "google", url: URL, res: ServerResponse): void {
    const redirectUri = url.searchParams.get("redirect_uri");
    const state = url.searchParams.get("state");
    if (url.searchParams.get("client_id") !== clientId || !redirectUri) {
      res.writeHead(400, { "content-type": "text/plain" }).end("invalid client_id or redirect_uri");
      return;
    }
    const target = new URL(redirectUri);
    if (state) target.searchParams.set("state", state);
    if (deny) {
      deny = false;
      target.searchParams.set("error", "access_denied");
      target.searchParams.set("error_description", "The user has denied your application access.");
    } else {
      const user = provider === "github" ? githubUser : googleUser;
      if (!user) {
        res.writeHead(500).end("no fake user set");
        return;
      }
      const challengeMethod = url.searchParams.get("code_challenge_method");
      if (challengeMethod && challengeMethod !== "S256") {
        res.writeHead(400).end("only S256");
        return;
      }
      const code = base64url(randomBytes(16));
      codes.set(code, {
        provider,
        clientId,
        redirectUri,
        codeChallenge: url.searchParams.get("code_challenge"),
        user,
        used: false,
      });
      target.searchParams.set("code", code);
    }
    res.writeHead(302, { location: target.toString() }).end();
  }

  async function token(provider: "github" | "google", req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const authorization = req.headers.authorization ?? null;
    tokenRequests.push({ provider, body, authorization });
    let id = body.client_id;
    let secret = body.client_secret;
    if (authorization?.startsWith("Basic ")) {
      const [user, pass] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
      id = decodeURIComponent(user ?? "");
      secret = decodeURIComponent(pass ?? "");
    }
    const fail = (error: string, description: string) =>
      provider === "github"
        ? json(res, 200, { error, error_description: description, error_uri: "https://docs.github.com/apps/oauth" })
        : json(res, error === "invalid_client" ? 401 : 400, { error, error_description: description });
    if (id !== clientId || secret !== clientSecret) {
      fail(
        provider === "github" ? "incorrect_client_credentials" : "invalid_client",
        "The client_id and/or client_secret passed are incorrect.",
      );
      return;
    }
    const issued = body.code ? codes.get(body.code) : undefined;
    if (!issued || issued.used || issued.provider !== provider) {
      fail(
        provider === "github" ? "bad_verification_code" : "invalid_grant",
        "The code passed is incorrect or expired.",
      );
      return;
    }
    if (issued.redirectUri && body.redirect_uri !== issued.redirectUri) {
      fail(provider === "github" ? "redirect_uri_mismatch" : "invalid_grant", "The redirect_uri MUST match.");
      return;
    }
    if (issued.codeChallenge) {
      const verifier = body.code_verifier ?? "";
      const expected = createHash("sha256").update(verifier).digest("base64url");
      if (expected !== issued.codeChallenge) {
        fail("invalid_grant", "Invalid code verifier.");
        return;
      }
    } else if (provider === "google") {
      fail("invalid_request", "Missing code verifier.");
      return;
    }
    issued.used = true;
    const accessToken = `${provider === "github" ? "gho_" : "ya29."}${base64url(randomBytes(24))}`;
    if (provider === "github") {
      accessTokens.set(accessToken, issued.user as FakeGitHubUser);
      json(res, 200, { access_token: accessToken, token_type: "bearer", scope: "read:user,user:email" });
      return;
    }
    const user = issued.user as FakeGoogleUser;
    googleAccessTokens.set(accessToken, user);
    const now = Math.floor(Date.now() / 1000);
    const idToken = [
      base64url(JSON.stringify({ alg: "RS256", kid: "fake-key", typ: "JWT" })),
      base64url(
        JSON.stringify({
          iss: "https://accounts.google.com",
          azp: clientId,
          aud: clientId,
          sub: user.sub,
          email: user.email,
          email_verified: user.emailVerified,
          name: user.name,
          picture: user.picture ?? undefined,
          iat: now,
          exp: now + 3600,
        }),
      ),
      base64url("fake-signature"),
    ].join(".");
    json(res, 200, {
      access_token: accessToken,
      expires_in: 3599,
      scope: "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
      token_type: "Bearer",
      id_token: idToken,
    });
  }

  function githubApi(path: string, req: IncomingMessage, res: ServerResponse): void {
    const header = req.headers.authorization ?? "";
    const tokenValue = header.replace(/^(Bearer|token) /i, "");
    const user = accessTokens.get(tokenValue);
    if (!user) {
      json(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
      return;
    }
    if (path === "/user") {
      const publicEmail = user.emails.find((e) => e.primary)?.email ?? null;
      json(res, 200, {
        login: user.login,
        id: user.id,
        avatar_url: user.avatarUrl,
        name: user.name,
        email: publicEmail,
      });
      return;
    }
    json(
      res,
      200,
      user.emails.map((e) => ({ ...e, visibility: e.primary ? "private" : null })),
    );
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", baseUrl);
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      switch (route) {
        case "GET /github/login/oauth/authorize":
          return authorize("github", url, res);
        case "POST /github/login/oauth/access_token":
          return token("github", req, res);
        case "GET /github-api/user":
          return githubApi("/user", req, res);
        case "GET /github-api/user/emails":
          return githubApi("/user/emails", req, res);
        case "GET /google/o/oauth2/v2/auth":
          return authorize("google", url, res);
        case "POST /google/token":
          return token("google", req, res);
        case "GET /google/openidconnect/v1/userinfo": {
          // openidconnect.googleapis.com/v1/userinfo: the same claims as the ID token.
          const user = googleAccessTokens.get((req.headers.authorization ?? "").replace(/^Bearer /i, ""));
          if (!user) return json(res, 401, { error: "invalid_request", error_description: "Invalid Credentials" });
          return json(res, 200, {
            sub: user.sub,
            email: user.email,
            email_verified: user.emailVerified,
            name: user.name,
            picture: user.picture ?? undefined,
          });
        }
        default:
          json(res, 404, { message: "Not Found" });
      }
    };
    handle().catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

  return {
    baseUrl,
    github: { clientId, clientSecret, webBaseUrl: `${baseUrl}/github`, apiBaseUrl: `${baseUrl}/github-api` },
    google: {
      clientId,
      clientSecret,
      authorizeUrl: `${baseUrl}/google/o/oauth2/v2/auth`,
      tokenUrl: `${baseUrl}/google/token`,
    },
    googleUserInfoUrl: `${baseUrl}/google/openidconnect/v1/userinfo`,
    setGitHubUser: (user) => {
      githubUser = user;
    },
    setGoogleUser: (user) => {
      googleUser = user;
    },
    denyNext: () => {
      deny = true;
    },
    tokenRequests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
