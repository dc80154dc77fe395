import { formatMessage, type MessageVars } from "@animateimg/core";

/** The languages emails are written in (users.locale). */
export const emailLocales = ["en", "es"] as const;
export type EmailLocale = (typeof emailLocales)[number];

/**
 * Every sentence an email shows, by key, in English; other languages implement the same keys
 * (`Record<EmailMessageKey, string>`, so a missing one fails typecheck). `{name}` is a value,
 * `{n, plural, one {…} other {…}}` an ICU plural, as in the web app's dictionaries.
 */
const en = {
  greeting: "Hi {name},",
  transactionalFooter:
    "You are receiving this transactional email because of activity on your AnimateImg account. Security and account emails cannot be turned off.",
  marketingFooter:
    "You receive this email because you turned on product news in your AnimateImg settings. Account and security emails are separate and keep arriving.",
  unsubscribe: "Unsubscribe",
  pasteLink: "Or paste this link into your browser:",
  "verify.subject": "Confirm your email address for AnimateImg",
  "verify.body":
    "Please confirm that this is your email address. You need a confirmed address before you can start paid work such as generations or purchases.",
  "verify.action": "Confirm my email",
  "verify.footnote":
    "This link works once and expires in {hours, plural, one {# hour} other {# hours}}. If you did not create an AnimateImg account, you can ignore this email.",
  "changeEmail.subject": "Confirm your new email address for AnimateImg",
  "changeEmail.body":
    "You asked to use this address for your AnimateImg account. Your account keeps its current address until you confirm.",
  "changeEmail.action": "Use this email address",
  "changeEmail.footnote":
    "This link works once and expires in {hours, plural, one {# hour} other {# hours}}. If you did not ask for this, ignore this email; nothing changes.",
  "reset.subject": "Reset your AnimateImg password",
  "reset.body":
    "Someone (hopefully you) asked to reset the password of your AnimateImg account. Choose a new password with the button below; every device signed in to your account will be signed out.",
  "reset.action": "Choose a new password",
  "reset.footnote":
    "This link works once and expires in 1 hour. If you did not ask for a reset, ignore this email: your password stays as it is.",
  "newSignIn.subject": "New sign-in to your AnimateImg account",
  "newSignIn.body": "Your account was just signed in to from {device} at {when}.",
  "newSignIn.bodyWithIp": "Your account was just signed in to from {device} (IP address {ip}) at {when}.",
  "newSignIn.advice":
    "If this was you, there is nothing to do. If not, change your password now and sign out the sessions you do not recognise.",
  "newSignIn.action": "Review your sessions",
  "emailChanged.subject": "Your AnimateImg email address was changed",
  "emailChanged.body":
    "The email address of your AnimateImg account was changed to {newEmail}. Emails about your account now go there.",
  "emailChanged.advice":
    "If you did not make this change, reset your password at {resetUrl} and contact support right away.",
  "export.subject": "Your AnimateImg data export is ready",
  "export.body":
    "The archive of your AnimateImg data you asked for is ready ({megabytes} MB, one ZIP file): your account and profile, sign-in sessions, every generation with its prompt, parameters and history, your credit ledger, your uploads and your videos.",
  "export.until":
    "The link below downloads it until {until}; after that the archive is deleted. You can also download it from Settings while you are signed in, and ask for a new export at any time.",
  "export.action": "Download my data",
  "export.footnote":
    "Anyone with this link can download the archive until it expires, so do not forward this email. Settings: {settingsUrl}",
  "webhookDisabled.subject": "A webhook endpoint of your AnimateImg account was turned off",
  "webhookDisabled.body":
    "Every delivery to {url} has failed since {since}, for more than {days, plural, one {# day} other {# days}}, so we turned the endpoint off. Events that happen while it is off are not sent to it.",
  "webhookDisabled.advice":
    "Once the receiver answers again with a 2xx status, turn the endpoint back on in Settings → Webhooks; the delivery log there shows each attempt's response code, and you can resend any event.",
  "webhookDisabled.action": "Open Settings → Webhooks",
} as const;

export type EmailMessageKey = keyof typeof en;

const es: Record<EmailMessageKey, string> = {
  greeting: "Hola, {name}:",
  transactionalFooter:
    "Recibes este correo transaccional por la actividad de tu cuenta de AnimateImg. Los correos de seguridad y de cuenta no se pueden desactivar.",
  marketingFooter:
    "Recibes este correo porque activaste las novedades del producto en los ajustes de AnimateImg. Los correos de cuenta y de seguridad son aparte y seguirán llegando.",
  unsubscribe: "Darse de baja",
  pasteLink: "O pega este enlace en tu navegador:",
  "verify.subject": "Confirma tu dirección de correo para AnimateImg",
  "verify.body":
    "Confirma que esta es tu dirección de correo. Necesitas una dirección confirmada antes de empezar un trabajo de pago, como generaciones o compras.",
  "verify.action": "Confirmar mi correo",
  "verify.footnote":
    "Este enlace funciona una sola vez y caduca en {hours, plural, one {# hora} other {# horas}}. Si no creaste una cuenta de AnimateImg, puedes ignorar este correo.",
  "changeEmail.subject": "Confirma tu nueva dirección de correo para AnimateImg",
  "changeEmail.body":
    "Pediste usar esta dirección para tu cuenta de AnimateImg. Tu cuenta conserva su dirección actual hasta que la confirmes.",
  "changeEmail.action": "Usar esta dirección de correo",
  "changeEmail.footnote":
    "Este enlace funciona una sola vez y caduca en {hours, plural, one {# hora} other {# horas}}. Si no lo pediste, ignora este correo; no cambia nada.",
  "reset.subject": "Restablece tu contraseña de AnimateImg",
  "reset.body":
    "Alguien (esperamos que tú) pidió restablecer la contraseña de tu cuenta de AnimateImg. Elige una contraseña nueva con el botón de abajo; se cerrará la sesión en todos los dispositivos conectados a tu cuenta.",
  "reset.action": "Elegir una contraseña nueva",
  "reset.footnote":
    "Este enlace funciona una sola vez y caduca en 1 hora. Si no pediste restablecerla, ignora este correo: tu contraseña sigue igual.",
  "newSignIn.subject": "Nuevo inicio de sesión en tu cuenta de AnimateImg",
  "newSignIn.body": "Se acaba de iniciar sesión en tu cuenta desde {device} el {when}.",
  "newSignIn.bodyWithIp": "Se acaba de iniciar sesión en tu cuenta desde {device} (dirección IP {ip}) el {when}.",
  "newSignIn.advice":
    "Si fuiste tú, no tienes que hacer nada. Si no, cambia tu contraseña ahora y cierra las sesiones que no reconozcas.",
  "newSignIn.action": "Revisar tus sesiones",
  "emailChanged.subject": "Se cambió la dirección de correo de tu cuenta de AnimateImg",
  "emailChanged.body":
    "La dirección de correo de tu cuenta de AnimateImg se cambió a {newEmail}. Los correos sobre tu cuenta llegarán ahora allí.",
  "emailChanged.advice":
    "Si no hiciste este cambio, restablece tu contraseña en {resetUrl} y contacta con soporte de inmediato.",
  "export.subject": "Tu exportación de datos de AnimateImg está lista",
  "export.body":
    "El archivo con tus datos de AnimateImg que pediste está listo ({megabytes} MB, un archivo ZIP): tu cuenta y tu perfil, las sesiones iniciadas, cada generación con su descripción, parámetros e historial, tu registro de créditos, tus archivos subidos y tus vídeos.",
  "export.until":
    "El enlace de abajo permite descargarlo hasta el {until}; después, el archivo se elimina. También puedes descargarlo desde Ajustes con la sesión iniciada y pedir una nueva exportación cuando quieras.",
  "export.action": "Descargar mis datos",
  "export.footnote":
    "Cualquiera con este enlace puede descargar el archivo hasta que caduque, así que no reenvíes este correo. Ajustes: {settingsUrl}",
  "webhookDisabled.subject": "Se desactivó un endpoint de webhook de tu cuenta de AnimateImg",
  "webhookDisabled.body":
    "Todas las entregas a {url} fallan desde el {since}, desde hace más de {days, plural, one {# día} other {# días}}, así que desactivamos el endpoint. Los eventos que ocurran mientras esté desactivado no se le envían.",
  "webhookDisabled.advice":
    "Cuando el receptor vuelva a responder con un estado 2xx, reactiva el endpoint en Ajustes → Webhooks; el registro de entregas muestra el código de respuesta de cada intento y puedes reenviar cualquier evento.",
  "webhookDisabled.action": "Abrir Ajustes → Webhooks",
};

export const emailDictionaries: Record<EmailLocale, Record<EmailMessageKey, string>> = { en, es };

export type EmailText = (key: EmailMessageKey, vars?: MessageVars) => string;

/** `t()` for one email in one language. */
export function emailText(locale: EmailLocale): EmailText {
  return (key, vars) => formatMessage(emailDictionaries[locale][key], vars, locale);
}

/** An instant as the reader's language writes it; English keeps the UTC string it always had. */
export function formatEmailDate(date: Date, locale: EmailLocale): string {
  if (locale === "en") return date.toUTCString();
  return `${new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone: "UTC" }).format(date)} UTC`;
}

/** A stored locale (users.locale) as an email language; anything unknown is English. */
export function parseEmailLocale(value: string | null | undefined): EmailLocale {
  return (emailLocales as readonly string[]).includes(value ?? "") ? (value as EmailLocale) : "en";
}
