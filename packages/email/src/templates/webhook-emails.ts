import { renderLayout, type RenderedEmail } from "./layout";

/** To the owner of an endpoint we turned off after days of failed deliveries. */
export function renderWebhookDisabledEmail(options: { name: string; url: string; failingSince: Date; days: number; settingsUrl: string }): RenderedEmail {
  return renderLayout({
    subject: "A webhook endpoint of your AnimateImg account was turned off",
    paragraphs: [
      `Hi ${options.name},`,
      `Every delivery to ${options.url} has failed since ${options.failingSince.toUTCString()}, for more than ${options.days} days, so we turned the endpoint off. Events that happen while it is off are not sent to it.`,
      "Once the receiver answers again with a 2xx status, turn the endpoint back on in Settings → Webhooks; the delivery log there shows each attempt's response code, and you can resend any event.",
    ],
    action: { label: "Open Settings → Webhooks", url: options.settingsUrl },
  });
}
