/**
 * The README.txt at the top of every archive. The archive's words are in English only: it is a
 * file the person keeps, read outside the product (Settings shows the same facts localized).
 */
export function archiveReadme({ exportedAt }: { exportedAt: Date }): string {
  return `AnimateImg data export
Exported: ${exportedAt.toISOString()}

This archive holds everything your AnimateImg account holds about you, as of the date above.

Files
  README.txt          this file
  account.json        your profile: name, email, when you joined, linked Google/GitHub sign-ins,
                      the privacy policy versions you accepted, your marketing email choice and
                      your credit balance
  sessions.json       the devices signed in to your account: when, browser (user agent) and IP
                      address. The secret part of each session is never exported.
  generations.json    every generation: model, prompt, parameters, status, price, the files it
                      used and made, and its attempt log (which provider ran it, its job id,
                      outcome, errors and timings). Generations you deleted that we still hold
                      (during the undo window) are included with their deletion date.
  credit-ledger.json  every change to your credit balance, with payment references for purchases
  uploads/            the original photos and videos you uploaded, named <asset id>-<name>
  videos/             the videos generated for you, named <generation id>.mp4
  index.json          a list of every file above with its size and SHA-256, and any file whose
                      bytes were no longer in storage when the archive was made

Dates are ISO 8601 in UTC. Identifiers in generations.json link to the file names above.
`;
}
