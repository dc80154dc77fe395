import type { Metadata } from "next";
import { GalleryGrid } from "~/components/gallery/gallery-grid";
import { getT } from "~/i18n/server";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("gallery.title")} — AnimateImg` };
}

export default async function GalleryPage() {
  const { t } = await getT();
  return (
    <main className="wide">
      <h1>{t("gallery.title")}</h1>
      <p className="lede">{t("gallery.lede")}</p>
      <GalleryGrid />
    </main>
  );
}
