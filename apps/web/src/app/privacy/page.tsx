import type { Metadata } from "next";
import { getT } from "~/i18n/server";
import { getServerCaller } from "~/server/caller";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getT();
  return { title: `${t("privacy.title")} — AnimateImg` };
}
export const dynamic = "force-dynamic";

/** The policy as shipped in packages/privacy, with its version, effective date and the configured contact. */
export default async function PrivacyPage() {
  const { t, locale } = await getT();
  const policy = await (await getServerCaller()).privacy.document();
  const { contactEmail } = policy;
  const effective = new Date(`${policy.effectiveDate}T00:00:00Z`).toLocaleDateString(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
  const { blocks } = policy;
  return (
    <main className="narrow-page privacy-page">
      <p className="detail" data-testid="policy-meta">
        {t("privacy.meta", { version: policy.version, date: effective })}
      </p>
      {locale === "en" ? null : <p className="detail">{t("privacy.englishOnly")}</p>}
      <article lang="en">
        {blocks.map((block, index) => {
          switch (block.kind) {
            case "title":
              return <h1 key={index}>{block.text}</h1>;
            case "heading":
              return <h2 key={index}>{block.text}</h2>;
            case "subheading":
              return <h3 key={index}>{block.text}</h3>;
            case "list":
              return (
                <ul key={index}>
                  {block.items.map((item, i) => (
                    <li key={i}>{item}</li>
                  ))}
                </ul>
              );
            case "contact":
              return (
                <p key={index} data-testid="privacy-contact">
                  <a href={`mailto:${contactEmail}`}>{contactEmail}</a>
                </p>
              );
            case "paragraph":
              return (
                <p key={index}>
                  {block.lines.map((line, i) => (
                    <span key={i}>
                      {i > 0 ? <br /> : null}
                      {line}
                    </span>
                  ))}
                </p>
              );
          }
        })}
      </article>
    </main>
  );
}
