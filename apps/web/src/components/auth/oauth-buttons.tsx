import type { Translate } from "~/i18n/translate";

const labels = { github: "GitHub", google: "Google" } as const;

/**
 * Plain links (a top-level navigation, as OAuth needs). On sign-up they carry the 13+
 * confirmation so a new account can be created; they stay disabled until it is given.
 */
export function OAuthButtons({
  providers,
  intent = "sign-in",
  ageConfirmed,
  returnTo = "/",
  t,
}: {
  providers: ReadonlyArray<"github" | "google">;
  intent?: "sign-in" | "link";
  ageConfirmed?: boolean;
  returnTo?: string;
  /** The caller's translator (this component renders on the server and in the browser). */
  t: Translate;
}) {
  if (providers.length === 0) return null;
  const disabled = ageConfirmed === false;
  return (
    <div className="oauth-buttons">
      {providers.map((provider) => {
        const params = new URLSearchParams({ intent, returnTo });
        if (ageConfirmed) params.set("ageConfirmed", "1");
        const label = t(intent === "link" ? "auth.linkProvider" : "auth.continueWith", { provider: labels[provider] });
        return disabled ? (
          <span key={provider} className="button-link disabled" aria-disabled="true" title={t("auth.confirmAgeFirst")}>
            {label}
          </span>
        ) : (
          <a key={provider} className="button-link" href={`/api/auth/${provider}/start?${params.toString()}`}>
            {label}
          </a>
        );
      })}
    </div>
  );
}
