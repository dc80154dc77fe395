import { describe, expect, it } from "vitest";
import { messageArguments } from "@animateimg/core";
import { renderPasswordResetEmail, renderVerifyEmail } from "./account-emails";
import { renderDataExportReadyEmail } from "./data-export-email";
import { emailDictionaries, emailLocales } from "./email-dictionaries";
import { renderWebhookDisabledEmail } from "./webhook-emails";

describe("emails in the recipient's language", () => {
  it("has every sentence in every language, with the same values", () => {
    for (const locale of emailLocales) {
      for (const [key, english] of Object.entries(emailDictionaries.en)) {
        const text = emailDictionaries[locale][key as keyof typeof emailDictionaries.en];
        expect(text.trim(), `${locale} ${key}`).toBeTruthy();
        expect(messageArguments(text), `${locale} ${key}`).toEqual(messageArguments(english));
      }
    }
  });

  it("writes to a Spanish-locale person in Spanish, and to everyone else in English as before", () => {
    const spanish = renderVerifyEmail({
      name: "Ana",
      url: "http://app.test/v?token=t",
      expiresInHours: 24,
      locale: "es",
    });
    expect(spanish.subject).toBe("Confirma tu dirección de correo para AnimateImg");
    expect(spanish.text).toContain("Hola, Ana:");
    expect(spanish.text).toContain("caduca en 24 horas");
    expect(spanish.html).toContain('<html lang="es">');
    expect(spanish.html).toContain("O pega este enlace en tu navegador:");
    expect(spanish.text).not.toMatch(/\bHi\b|expires/);

    const english = renderVerifyEmail({ name: "Ana", url: "http://app.test/v?token=t", expiresInHours: 24 });
    expect(english.subject).toBe("Confirm your email address for AnimateImg");
    expect(english.text).toContain("This link works once and expires in 24 hours.");

    const reset = renderPasswordResetEmail({ name: "Ana", url: "http://app.test/r", locale: "es" });
    expect(reset.subject).toBe("Restablece tu contraseña de AnimateImg");

    const exportReady = renderDataExportReadyEmail({
      name: "Ana",
      url: "http://app.test/d",
      expiresAt: new Date("2026-12-09T10:00:00Z"),
      sizeBytes: 1_250_000,
      settingsUrl: "http://app.test/settings",
      locale: "es",
    });
    expect(exportReady.subject).toBe("Tu exportación de datos de AnimateImg está lista");
    expect(exportReady.text).toContain("(1,3 MB, un archivo ZIP)");
    expect(exportReady.text).toContain("2026");

    const webhook = renderWebhookDisabledEmail({
      name: "Ana",
      url: "https://hooks.example/x",
      failingSince: new Date("2026-12-01T00:00:00Z"),
      days: 1,
      settingsUrl: "http://app.test/settings",
      locale: "es",
    });
    expect(webhook.text).toContain("más de 1 día");
  });
});
