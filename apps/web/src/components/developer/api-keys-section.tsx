"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { Field, FormAlert } from "../auth/form-feedback";

type Scope = "read" | "generate";

function formatWhen(date: Date, locale: string): string {
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** Create (the token is shown once), list with last use, revoke. */
export function ApiKeysSection() {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions(), staleTime: 0 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read", "generate"]);
  const [copied, setCopied] = useState(false);
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setCopied(false);
      },
      onSettled: refresh,
    }),
  );
  const revoke = useMutation(trpc.apiKey.revoke.mutationOptions({ onSettled: refresh }));
  const toggle = (scope: Scope) =>
    setScopes((current) => (current.includes(scope) ? current.filter((s) => s !== scope) : [...current, scope]));

  return (
    <div className="settings-stack">
      <p className="detail">{t("developer.keysLede")}</p>
      <form
        className="auth-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ name, scopes });
        }}
      >
        <FormAlert error={create.error ?? revoke.error} />
        <Field
          label={t("developer.keyName")}
          name="name"
          required
          maxLength={60}
          value={name}
          placeholder={t("developer.keyNamePlaceholder")}
          onChange={(e) => setName(e.target.value)}
          error={create.error}
        />
        <fieldset className="scope-choice">
          <legend>{t("developer.scopes")}</legend>
          {(["read", "generate"] as const).map((scope) => (
            <label key={scope} className="checkbox">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} />
              <span>
                <strong>{scope}</strong> — {t(scope === "read" ? "developer.scopeRead" : "developer.scopeGenerate")}
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={create.isPending || scopes.length === 0}>
          {t("developer.createKey")}
        </button>
      </form>

      {create.data ? (
        <div className="card new-key" role="status">
          <strong>{t("developer.keyCreated", { name: create.data.key.name })}</strong>
          <p className="detail">{t("developer.keyShownOnce")}</p>
          <code className="new-key-token" data-testid="new-api-key">
            {create.data.token}
          </code>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(create.data.token).then(() => setCopied(true));
            }}
          >
            {copied ? t("developer.copied") : t("developer.copy")}
          </button>
        </div>
      ) : null}

      {keys.error ? <FormAlert error={keys.error} /> : null}
      {!keys.data ? (
        <p className="detail">{t("common.loading")}</p>
      ) : keys.data.length === 0 ? (
        <p className="detail">{t("developer.noKeys")}</p>
      ) : (
        <ul className="session-list">
          {keys.data.map((key) => (
            <li key={key.id} className="card session-item">
              <div>
                <strong>{key.name}</strong> <code>{key.preview}</code>{" "}
                {key.revokedAt ? <span className="badge unhealthy">{t("developer.revoked")}</span> : null}
                <div className="detail">
                  {key.scopes.join(", ")} · {t("developer.perMinute", { count: key.requestsPerMinute })} ·{" "}
                  {t("developer.createdAt", { when: formatWhen(key.createdAt, locale) })} ·{" "}
                  {key.lastUsedAt
                    ? t("developer.lastUsed", { when: formatWhen(key.lastUsedAt, locale) })
                    : t("developer.neverUsed")}
                </div>
              </div>
              {key.revokedAt ? null : (
                <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ keyId: key.id })}>
                  {t("developer.revoke")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
