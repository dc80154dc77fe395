export {
  startFakeOAuthServer,
  type FakeGitHubUser,
  type FakeGoogleUser,
  type FakeOAuthServer,
} from "./fake-oauth-server";
