import Link from "next/link";
import { models } from "@animateimg/catalog";
import { GalleryGrid } from "~/components/gallery/gallery-grid";
import { ModelIllustration } from "~/components/landing/model-illustration";
import { ShowcaseVideo } from "~/components/landing/showcase-video";
import { SystemStatusLine } from "~/components/system-status";
import { getT } from "~/i18n/server";
import { catalogDictionaries } from "~/i18n/translate";
import { getCurrentSession } from "~/server/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const session = await getCurrentSession();
  const { t, locale } = await getT();
  const tc = (text: string) => catalogDictionaries[locale][text] ?? text;
  return (
    <main className="wide landing">
      <section className="hero">
        <h1>{t("landing.title")}</h1>
        {/* Above the fold: our own photo and the video our engine made from it (showcase/README.md). */}
        <figure className="before-after" data-testid="before-after">
          <div className="ba-panel">
            <img src="/showcase/photo.jpg" alt={t("landing.beforeAlt")} width={1600} height={1000} />
            <span className="ba-tag">{t("landing.before")}</span>
          </div>
          <span className="ba-arrow" aria-hidden="true" />
          <div className="ba-panel">
            <ShowcaseVideo src="/showcase/animate.mp4" poster="/showcase/poster.jpg" label={t("landing.afterAlt")} />
            <span className="ba-tag">{t("landing.after")}</span>
          </div>
          <figcaption className="detail">{t("landing.showcaseCaption")}</figcaption>
        </figure>
        <p className="lede">{t("landing.lede")}</p>
        <div className="hero-actions">
          {session ? (
            <Link href="/workspace" className="button-link primary-link">
              {t("landing.openWorkspace")}
            </Link>
          ) : (
            <>
              <Link href="/sign-up" className="button-link primary-link">
                {t("landing.signUp")}
              </Link>
              <Link href="/sign-in" className="button-link">
                {t("landing.signIn")}
              </Link>
            </>
          )}
          <Link href="/gallery" className="button-link">
            {t("landing.browseGallery")}
          </Link>
        </div>
        <ol className="how-steps">
          <li>{t("landing.step1")}</li>
          <li>{t("landing.step2")}</li>
          <li>{t("landing.step3")}</li>
        </ol>
      </section>

      <section aria-labelledby="models-heading">
        <h2 id="models-heading">{t("landing.modelsTitle")}</h2>
        <ul className="landing-models">
          {models.map((model) => (
            <li key={model.id} className="card" data-testid={`landing-model-${model.id}`}>
              <ModelIllustration id={model.id} label={t(`landing.illustration.${model.id}`)} />
              <strong>{tc(model.label)}</strong>
              <span className="detail">{tc(model.tagline)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="examples-heading">
        <div className="row">
          <h2 id="examples-heading">{t("landing.examplesTitle")}</h2>
          <Link href="/gallery">{t("landing.seeGallery")}</Link>
        </div>
        <GalleryGrid limit={6} />
      </section>

      <p className="detail">{t("landing.privacyNote")}</p>
      <SystemStatusLine />
    </main>
  );
}
