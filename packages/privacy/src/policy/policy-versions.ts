/**
 * Every published version of the privacy policy, newest first. Publishing a new version:
 * edit policy/privacy-policy.txt (and its "Effective date:" line), run
 * `pnpm --filter @animateimg/privacy policy:embed`, and add an entry here saying what changed,
 * in every language the product speaks. Signed-in people who accepted an older version see
 * these lines in a notice until they acknowledge the new one.
 *
 * The change notes live beside the text (not in the web app's dictionaries) because they are
 * part of the published document, written once per version, like the policy itself.
 */
export interface PolicyChangeNotes {
  en: readonly string[];
  es: readonly string[];
}

export interface PolicyVersion {
  /** Stable identifier recorded with each acceptance. */
  version: string;
  /** ISO date (YYYY-MM-DD) from which this version applies. */
  effectiveDate: string;
  changes: PolicyChangeNotes;
}

export const policyVersions: readonly PolicyVersion[] = [
  {
    version: "2026-05-12",
    effectiveDate: "2026-05-12",
    changes: {
      en: [
        "The privacy policy is now part of AnimateImg: it explains what we collect, why, who we share it with and the choices you have.",
        "Marketing email is off unless you turn it on in Settings, and every marketing email has a one-click unsubscribe link.",
      ],
      es: [
        "La política de privacidad ya forma parte de AnimateImg: explica qué datos recogemos, por qué, con quién los compartimos y qué opciones tienes.",
        "El correo de marketing está desactivado salvo que lo actives en Ajustes, y cada correo de marketing incluye un enlace para darte de baja con un clic.",
      ],
    },
  },
];
