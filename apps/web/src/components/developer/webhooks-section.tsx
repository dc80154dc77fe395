"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { useT } from "~/i18n/i18n-provider";
import { Field, FormAlert } from "../auth/form-feedback";

const EVENTS = ["generation.succeeded", "generation.failed", "generation.canceled"] as const;
type EventType = (typeof EVENTS)[number];

function formatWhen(date: Date, locale: string): string {
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** Settings → Webhooks: endpoints (the secret shown once), on/off, delete, and each one's delivery log with resend. */
export function WebhooksSection() {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery({ ...trpc.webhook.list.queryOptions(), staleTime: 0 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhook.list.queryKey() });
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<EventType[]>([...EVENTS]);
  const [openLog, setOpenLog] = useState<string | null>(null);
  const create = useMutation(
    trpc.webhook.create.mutationOptions({
      onSuccess: () => {
        setUrl("");
        setDescription("");
      },
      onSettled: refresh,
    }),
  );
  const update = useMutation(trpc.webhook.update.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.webhook.delete.mutationOptions({ onSettled: refresh }));
  const toggle = (type: EventType) =>
    setEvents((current) => (current.includes(type) ? current.filter((e) => e !== type) : [...current, type]));

  return (
    <div className="settings-stack">
      <p className="detail">{t("webhooks.lede")}</p>
      <form
        className="auth-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ url, description, events });
        }}
      >
        <FormAlert error={create.error ?? update.error ?? remove.error} />
        <Field
          label={t("webhooks.url")}
          name="url"
          type="url"
          required
          value={url}
          placeholder="https://example.com/webhooks/animateimg"
          onChange={(e) => setUrl(e.target.value)}
          error={create.error}
        />
        <Field
          label={t("webhooks.description")}
          name="description"
          maxLength={120}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset className="scope-choice">
          <legend>{t("webhooks.events")}</legend>
          {EVENTS.map((type) => (
            <label key={type} className="checkbox">
              <input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} />
              <span>
                <code>{type}</code>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={create.isPending || events.length === 0}>
          {t("webhooks.add")}
        </button>
      </form>

      {create.data ? (
        <div className="card new-key" role="status">
          <strong>{t("webhooks.created")}</strong>
          <p className="detail">{t("webhooks.secretShownOnce")}</p>
          <code className="new-key-token" data-testid="new-webhook-secret">
            {create.data.secret}
          </code>
        </div>
      ) : null}

      {endpoints.error ? <FormAlert error={endpoints.error} /> : null}
      {!endpoints.data ? (
        <p className="detail">{t("common.loading")}</p>
      ) : endpoints.data.length === 0 ? (
        <p className="detail">{t("webhooks.none")}</p>
      ) : (
        <ul className="webhook-list">
          {endpoints.data.map((endpoint) => (
            <li key={endpoint.id} className="card webhook-item" data-testid="webhook-endpoint">
              <div className="webhook-head">
                <div>
                  <code className="webhook-url">{endpoint.url}</code>{" "}
                  {endpoint.enabled ? (
                    <span className="badge healthy">{t("webhooks.enabled")}</span>
                  ) : (
                    <span className="badge unhealthy" data-testid="webhook-disabled">
                      {endpoint.disabledReason === "failing"
                        ? t("webhooks.disabledFailing")
                        : t("webhooks.disabledOwner")}
                    </span>
                  )}
                  <div className="detail">
                    {endpoint.description ? `${endpoint.description} · ` : ""}
                    {endpoint.events.join(", ")} · <code>{endpoint.secretPreview}</code>
                    {endpoint.failingSince
                      ? ` · ${t("webhooks.failingSince", { when: formatWhen(endpoint.failingSince, locale) })}`
                      : ""}
                  </div>
                </div>
                <div className="webhook-actions">
                  <button
                    type="button"
                    onClick={() => setOpenLog(openLog === endpoint.id ? null : endpoint.id)}
                    aria-expanded={openLog === endpoint.id}
                  >
                    {t("webhooks.log")}
                  </button>
                  <button
                    type="button"
                    disabled={update.isPending}
                    onClick={() => update.mutate({ endpointId: endpoint.id, enabled: !endpoint.enabled })}
                  >
                    {endpoint.enabled ? t("webhooks.turnOff") : t("webhooks.turnOn")}
                  </button>
                  <button
                    type="button"
                    disabled={remove.isPending}
                    onClick={() => remove.mutate({ endpointId: endpoint.id })}
                  >
                    {t("webhooks.delete")}
                  </button>
                </div>
              </div>
              {openLog === endpoint.id ? <DeliveryLog endpointId={endpoint.id} enabled={endpoint.enabled} /> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DeliveryLog({ endpointId, enabled }: { endpointId: string; enabled: boolean }) {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Pending deliveries change on their own (retries): the log re-reads every few seconds while open.
  const deliveries = useQuery({ ...trpc.webhook.deliveries.queryOptions({ endpointId }), refetchInterval: 5000 });
  const resend = useMutation(
    trpc.webhook.resend.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.webhook.deliveries.queryKey({ endpointId }) }),
    }),
  );
  if (deliveries.error) return <FormAlert error={deliveries.error} />;
  if (!deliveries.data) return <p className="detail">{t("common.loading")}</p>;
  if (deliveries.data.length === 0) return <p className="detail">{t("webhooks.noDeliveries")}</p>;
  return (
    <>
      <FormAlert error={resend.error} />
      <table className="credit-history webhook-log" data-testid="webhook-log">
        <thead>
          <tr>
            <th>{t("webhooks.when")}</th>
            <th>{t("webhooks.event")}</th>
            <th>{t("webhooks.attempts")}</th>
            <th>{t("webhooks.status")}</th>
            <th>
              <span className="visually-hidden">{t("webhooks.resend")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((delivery) => (
            <tr key={delivery.id}>
              <td>{formatWhen(delivery.createdAt, locale)}</td>
              <td>
                <code>{delivery.eventType}</code>
                {delivery.manual ? ` (${t("webhooks.manual")})` : ""}
              </td>
              <td>
                {delivery.attemptLog.map((attempt) => (
                  <span
                    key={attempt.attemptNo}
                    className={`status-code ${attempt.statusCode !== null && attempt.statusCode < 300 ? "ok" : "bad"}`}
                    title={`${formatWhen(attempt.attemptedAt, locale)} · ${attempt.durationMs} ms${attempt.errorClass ? ` · ${attempt.errorClass}` : ""}`}
                  >
                    {attempt.statusCode ?? attempt.errorClass}
                  </span>
                ))}
              </td>
              <td>
                {delivery.status === "pending"
                  ? delivery.nextAttemptAt
                    ? t("webhooks.retryAt", { when: formatWhen(delivery.nextAttemptAt, locale) })
                    : t("webhooks.pending")
                  : delivery.status === "succeeded"
                    ? t("webhooks.delivered")
                    : t("webhooks.failed")}
              </td>
              <td>
                <button
                  type="button"
                  disabled={!enabled || resend.isPending}
                  onClick={() => resend.mutate({ deliveryId: delivery.id })}
                >
                  {t("webhooks.resend")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
