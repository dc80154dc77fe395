"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useId, useMemo, useState } from "react";
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FieldSpec } from "@animateimg/catalog";
import { BuyCreditsLink } from "~/components/billing/buy-credits-link";
import { useT } from "~/i18n/i18n-provider";
import { useTRPC } from "~/trpc/react";
import { GenerationCard } from "../activity/generation-card";
import type { ModelId, ModelSummary } from "../activity/generation-types";
import { useDeleteWithUndo } from "../activity/use-delete-with-undo";
import { useLiveGenerations } from "../activity/use-live-generations";
import { toAnimateParams } from "../motion/animate-preview-params";
import { MotionPreview } from "../motion/motion-preview";
import { BatchModeSwitch, maxComparedModels, maxBatchPhotos, type BatchMode } from "./batch-mode";
import { ModelPicker } from "./model-picker";
import { ParamForm, type Params } from "./param-form";
import { PhotoStep, type ChosenMedia } from "./photo-step";

interface WorkspaceProps {
  /** The model catalog, read by the server page. */
  models: ModelSummary[];
  /** Reuse a past generation: its prompt only, or its model, settings, photo and prompt. */
  reuseFrom: string | null;
  reuseOnly: "prompt" | null;
}

/** insufficient_credits or credits_owed: the error a Buy credits link answers. */
const paymentReason = (error: unknown): string | null => {
  const reason = (error as { data?: { reason?: string | null } } | null)?.data?.reason ?? null;
  return reason === "insufficient_credits" || reason === "credits_owed" ? reason : null;
};

const fieldErrorsOf = (error: unknown): Record<string, string[] | undefined> | null => {
  const data = (error as { data?: { fieldErrors?: Record<string, string[]> | null } } | null)?.data;
  return data?.fieldErrors ?? null;
};

interface FormStart {
  modelId: ModelId;
  params: Params | null;
  prompt: string;
  isPrivate: boolean;
  photo: ChosenMedia | null;
}

const blankStart: FormStart = { modelId: "animate", params: null, prompt: "", isPrivate: true, photo: null };
const noId = "00000000-0000-4000-8000-000000000000";

/**
 * Photo → model → settings → prompt → privacy → price → Generate, on one page. With a past
 * generation to reuse, the form starts from it once it has loaded.
 */
export function Workspace({ models, reuseFrom, reuseOnly }: WorkspaceProps) {
  const { t } = useT();
  const trpc = useTRPC();
  const source = useQuery({
    ...trpc.generation.byId.queryOptions({ generationId: reuseFrom ?? noId }),
    enabled: reuseFrom !== null,
    retry: false,
  });
  const wantsPhoto = reuseOnly === null && source.data !== undefined;
  // The photo may have been deleted since: then the form starts without one.
  const sourcePhoto = useQuery({
    ...trpc.upload.byId.queryOptions({ id: source.data?.imageAssetId ?? noId }),
    enabled: wantsPhoto,
    retry: false,
  });

  if (reuseFrom !== null && (source.isPending || (wantsPhoto && sourcePhoto.isPending)))
    return <p className="detail">{t("common.loading")}</p>;
  let start = blankStart;
  if (source.data) {
    start =
      reuseOnly === "prompt"
        ? { ...blankStart, prompt: source.data.prompt }
        : {
            modelId: source.data.modelId,
            params: source.data.params,
            prompt: source.data.prompt,
            isPrivate: source.data.private,
            photo: sourcePhoto.data
              ? {
                  id: sourcePhoto.data.id,
                  name: sourcePhoto.data.name,
                  thumbnail: sourcePhoto.data.urls.thumbnail,
                  original: sourcePhoto.data.urls.original,
                }
              : null,
          };
  }
  return <WorkspaceForm start={start} initialModels={models} />;
}

function WorkspaceForm({ start, initialModels }: { start: FormStart; initialModels: ModelSummary[] }) {
  const { t, tc } = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const promptId = useId();
  const privateHintId = useId();
  useLiveGenerations();

  const models = useQuery({
    ...trpc.generation.models.queryOptions(),
    initialData: initialModels,
    staleTime: Infinity,
  });
  const balance = useQuery(trpc.billing.balance.queryOptions());
  // One idempotency key per press of Generate; any edit of the form makes the next press a new request.
  const [idempotencyKey, setIdempotencyKey] = useState<string | null>(null);
  const [modelId, setModelIdState] = useState<ModelId>(start.modelId);
  const [params, setParamsState] = useState<Params | null>(start.params);
  const [prompt, setPromptState] = useState(start.prompt);
  const [isPrivate, setIsPrivateState] = useState(start.isPrivate);
  const [photo, setPhotoState] = useState<ChosenMedia | null>(start.photo);
  const [referenceVideo, setReferenceVideoState] = useState<ChosenMedia | null>(null);
  // Compare (several models, one photo) and batch (one model, several photos).
  const [mode, setModeState] = useState<BatchMode>("single");
  const [comparedModels, setComparedModelsState] = useState<ModelId[]>([]);
  const [batchPhotos, setBatchPhotosState] = useState<ChosenMedia[]>([]);
  // One idempotency key per item of a batch, kept until the batch changes.
  const [batchKeys, setBatchKeys] = useState<string[] | null>(null);
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setIdempotencyKey(null);
      setBatchKeys(null);
    };
  const [setModelId, setParams, setPrompt, setIsPrivate, setPhoto, setReferenceVideo] = [
    edit(setModelIdState),
    edit(setParamsState),
    edit(setPromptState),
    edit(setIsPrivateState),
    edit(setPhotoState),
    edit(setReferenceVideoState),
  ];
  const [setMode, setComparedModels, setBatchPhotos] = [
    edit(setModeState),
    edit(setComparedModelsState),
    edit(setBatchPhotosState),
  ];
  const router = useRouter();
  const [createdId, setCreatedId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const { remove, toast } = useDeleteWithUndo(setActionError);

  const model: ModelSummary | undefined = models.data?.find((m) => m.id === modelId);
  const values = useMemo(() => params ?? model?.defaults ?? {}, [params, model]);

  // The price follows the form as it changes; a bad value is explained next to its field.
  const referenceVideoAssetId = referenceVideo?.id ?? null;
  const quoteInput = useDeferredValue(
    useMemo(() => ({ modelId, params: values, referenceVideoAssetId }), [modelId, values, referenceVideoAssetId]),
  );
  const quote = useQuery({
    ...trpc.generation.quote.queryOptions(quoteInput),
    enabled: model?.available === true,
    placeholderData: keepPreviousData,
    retry: false,
  });

  const create = useMutation(
    trpc.generation.create.mutationOptions({
      onSuccess: (generation) => {
        setIdempotencyKey(null);
        setCreatedId(generation.id);
        queryClient.setQueryData(trpc.generation.byId.queryKey({ generationId: generation.id }), {
          ...generation,
          attempts: [],
        });
        void queryClient.invalidateQueries({ queryKey: trpc.generation.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.billing.balance.queryKey() });
      },
    }),
  );
  const selectedModels = mode === "models" ? comparedModels : [modelId];
  const defaultsOf = (id: ModelId) => models.data?.find((m) => m.id === id)?.defaults ?? {};
  // What one press of Generate starts: the form's settings for the model being edited, the
  // others' defaults; one item per model (compare) or per photo (batch).
  const batchItems =
    mode === "photos"
      ? batchPhotos.map((media) => ({ modelId, params: values, photo: media }))
      : selectedModels.map((id) => ({ modelId: id, params: id === modelId ? values : defaultsOf(id), photo }));
  const batchQuotes = useQueries({
    queries: (mode === "single" ? [] : batchItems).map((item) => ({
      ...trpc.generation.quote.queryOptions({ modelId: item.modelId, params: item.params, referenceVideoAssetId }),
      retry: false,
    })),
  });
  const batchTotal = batchQuotes.every((q) => q.data)
    ? batchQuotes.reduce((sum, q) => sum + (q.data?.priceCredits ?? 0), 0)
    : null;
  const startBatch = useMutation({
    mutationFn: async () => {
      const keys = batchKeys ?? batchItems.map(() => crypto.randomUUID());
      setBatchKeys(keys);
      const ids: string[] = [];
      for (const [index, item] of batchItems.entries()) {
        if (!item.photo) continue;
        const generation = await create.mutateAsync({
          modelId: item.modelId,
          params: item.params,
          prompt,
          imageAssetId: item.photo.id,
          referenceVideoAssetId: referenceVideo?.id ?? null,
          private: isPrivate,
          idempotencyKey: keys[index] ?? crypto.randomUUID(),
        });
        ids.push(generation.id);
      }
      return ids;
    },
    onSuccess: (ids) => {
      setBatchKeys(null);
      router.push(`/activity/compare?ids=${ids.join(",")}`);
    },
  });

  const created = useQuery({
    ...trpc.generation.byId.queryOptions({ generationId: createdId ?? noId }),
    enabled: createdId !== null,
  });

  if (models.isPending) return <p className="detail">{t("common.loading")}</p>;
  if (models.isError) return <p className="form-alert">{models.error.message}</p>;

  const needsVideo = selectedModels.some(
    (id) => models.data.find((m) => m.id === id)?.inputs.referenceVideo === "required",
  );
  const maxPrompt = model?.promptMaxLength ?? 500;
  const fieldErrors = fieldErrorsOf(quote.error) ?? fieldErrorsOf(create.error);
  const batching = mode !== "single";
  const missing =
    mode === "photos"
      ? batchPhotos.length < 2
        ? t("batch.needPhotos")
        : null
      : !photo
        ? t("workspace.needPhoto")
        : mode === "models" && comparedModels.length < 2
          ? t("batch.needModels")
          : needsVideo && !referenceVideo
            ? t("workspace.needVideo")
            : null;
  const notEnough = batching
    ? batchTotal !== null && balance.data !== undefined && batchTotal > balance.data.credits
    : quote.data && !quote.data.enough;
  const canGenerate =
    model?.available === true &&
    !missing &&
    !notEnough &&
    (batching ? batchTotal !== null : quote.isSuccess) &&
    !create.isPending &&
    !startBatch.isPending &&
    prompt.length <= maxPrompt;

  return (
    <form
      className="workspace"
      onSubmit={(event) => {
        event.preventDefault();
        if (batching) {
          if (canGenerate) startBatch.mutate();
          return;
        }
        if (!canGenerate || !photo) return;
        const key = idempotencyKey ?? crypto.randomUUID();
        setIdempotencyKey(key);
        create.mutate({
          modelId,
          params: values,
          prompt,
          imageAssetId: photo.id,
          referenceVideoAssetId: referenceVideo?.id ?? null,
          private: isPrivate,
          idempotencyKey: key,
        });
      }}
    >
      <BatchModeSwitch
        value={mode}
        onChange={(next) => {
          setMode(next);
          if (next === "models") setComparedModels([modelId]);
          if (next === "photos") setBatchPhotos(photo ? [photo] : []);
        }}
      />

      <PhotoStep
        kind="image"
        value={photo}
        onChange={setPhoto}
        title={t("workspace.stepPhoto")}
        several={
          mode === "photos"
            ? {
                chosen: batchPhotos,
                max: maxBatchPhotos,
                onToggle: (media) =>
                  setBatchPhotos(
                    batchPhotos.some((p) => p.id === media.id)
                      ? batchPhotos.filter((p) => p.id !== media.id)
                      : [...batchPhotos, media],
                  ),
              }
            : undefined
        }
      />

      <ModelPicker
        models={models.data}
        value={modelId}
        onChange={(id) => {
          setModelId(id);
          setParams(null);
        }}
        several={
          mode === "models"
            ? {
                chosen: comparedModels,
                max: maxComparedModels,
                onToggle: (id) => {
                  const next = comparedModels.includes(id)
                    ? comparedModels.filter((m) => m !== id)
                    : [...comparedModels, id];
                  setComparedModels(next);
                  // The form edits the first chosen model's settings; the others use their defaults.
                  const first = next[0];
                  if (first && first !== modelId) {
                    setModelId(first);
                    setParams(null);
                  }
                },
              }
            : undefined
        }
      />

      {needsVideo ? (
        <PhotoStep
          kind="video"
          value={referenceVideo}
          onChange={setReferenceVideo}
          title={t("workspace.stepReference")}
        />
      ) : null}

      {model ? (
        <div className={modelId === "animate" ? "settings-with-preview" : undefined}>
          <ParamForm
            fields={model.fields as unknown as FieldSpec[]}
            values={values}
            onChange={setParams}
            errors={fieldErrors}
          />
          {mode === "models" && comparedModels.length > 1 ? (
            <p className="field-hint settings-scope">{t("batch.settingsScope", { model: tc(model.label) })}</p>
          ) : null}
          {modelId === "animate" ? (
            <section className="preview-column" aria-labelledby={`${promptId}-preview`}>
              <h2 id={`${promptId}-preview`} className="step-title">
                {t("preview.title")}
              </h2>
              <MotionPreview
                photoUrl={(mode === "photos" ? batchPhotos[0]?.original : photo?.original) ?? null}
                params={toAnimateParams(values)}
              />
            </section>
          ) : null}
        </div>
      ) : null}

      <section className="workspace-step" aria-labelledby={`${promptId}-title`}>
        <h2 id={`${promptId}-title`} className="step-title">
          {t("workspace.stepPrompt")}
        </h2>
        <div className="field">
          <label htmlFor={promptId} className="field-label">
            {t("workspace.promptLabel")}
          </label>
          <textarea
            id={promptId}
            rows={3}
            value={prompt}
            maxLength={maxPrompt}
            placeholder={t("workspace.promptPlaceholder")}
            aria-describedby={`${promptId}-count`}
            onChange={(event) => setPrompt(event.target.value)}
            data-testid="prompt"
          />
          <span
            id={`${promptId}-count`}
            className={`field-hint char-count${prompt.length > maxPrompt * 0.9 ? " near" : ""}`}
            aria-live="polite"
          >
            {t("workspace.charCount", { count: prompt.length, max: maxPrompt })}
          </span>
        </div>
      </section>

      <section className="workspace-step" aria-labelledby={`${privateHintId}-title`}>
        <h2 id={`${privateHintId}-title`} className="step-title">
          {t("workspace.stepPrivacy")}
        </h2>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={isPrivate}
            onChange={(event) => setIsPrivate(event.target.checked)}
            aria-describedby={privateHintId}
            data-testid="private-default"
          />
          <span className="field-label">{t("workspace.privateLabel")}</span>
        </label>
        <p id={privateHintId} className="field-hint">
          {t("workspace.privateWhy")}
        </p>
      </section>

      <section className="workspace-summary card" aria-live="polite" data-testid="price-summary">
        <div>
          <span className="summary-label">{t("workspace.price")}</span>
          <strong data-testid="price">
            {batching
              ? batchTotal !== null
                ? t("batch.total", { credits: batchTotal, count: batchItems.length })
                : "—"
              : quote.data
                ? t("activity.credits", { credits: quote.data.priceCredits })
                : "—"}
          </strong>
        </div>
        <div>
          <span className="summary-label">{t("workspace.balance")}</span>
          <strong data-testid="balance">
            {balance.data ? t("activity.credits", { credits: balance.data.credits }) : "—"}
          </strong>
        </div>
        <button type="submit" className="primary generate" disabled={!canGenerate} data-testid="generate">
          {create.isPending || startBatch.isPending
            ? t("workspace.starting")
            : batching
              ? t("batch.generate", { count: batchItems.length })
              : t("workspace.generate", { model: tc(model?.label ?? "") })}
        </button>
        {missing ? <p className="field-hint">{missing}</p> : null}
        {notEnough ? (
          <p className="field-error">
            {t("workspace.notEnough")} <BuyCreditsLink>{t("billing.buyCredits")}</BuyCreditsLink>
          </p>
        ) : null}
        {quote.error && !fieldErrors ? <p className="field-error">{quote.error.message}</p> : null}
        {startBatch.error && !create.error ? (
          <p className="form-alert" role="alert">
            {startBatch.error.message}
          </p>
        ) : null}
        {create.error ? (
          <p className="form-alert" role="alert">
            {paymentReason(create.error) === "credits_owed" ? t("billing.owedRefused") : create.error.message}
            {paymentReason(create.error) ? (
              <>
                {" "}
                <BuyCreditsLink>{t("billing.buyCredits")}</BuyCreditsLink>
              </>
            ) : null}
          </p>
        ) : null}
      </section>

      {created.data ? (
        <section className="workspace-step" aria-labelledby="latest-title">
          <div className="row">
            <h2 id="latest-title" className="step-title">
              {t("workspace.latest")}
            </h2>
            <Link href="/activity">{t("workspace.seeActivity")}</Link>
          </div>
          <GenerationCard
            generation={created.data}
            modelLabel={tc(models.data.find((m) => m.id === created.data.modelId)?.label ?? created.data.modelId)}
            onDelete={(id) => {
              remove(id);
              setCreatedId(null);
            }}
          />
        </section>
      ) : null}
      {actionError ? (
        <p className="form-alert" role="alert">
          {actionError}
        </p>
      ) : null}
      {toast}
    </form>
  );
}
