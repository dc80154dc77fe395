// Generations the person deleted, once the undo window is over: "until you delete them" (the
// policy) means gone, not hidden. The row goes with its prompt, parameters and status, its
// attempt log (foreign key), the webhook events about it (a shared generation's event carries
// its prompt), its stored files, and the uploads it was made from that the person already
// deleted and nothing else names. The ledger keeps its rows, their generation reference NULL.
//
// One batch is one transaction that locks the rows it removes (an Undo racing it waits, then
// finds nothing); the files are deleted after the commit, so a file is never deleted for a row
// that stays. A crash between the commit and the files leaves files no row names, which the
// unreferenced-blobs class removes after its safety age.
import { eraseDeletedAssetsNoLongerUsed } from "@animateimg/assets";
import { eraseDeletedGenerationRows, lockDeletedGenerations } from "@animateimg/generations";
import { eraseGenerationWebhookEvents } from "@animateimg/webhooks";
import type { RetentionClass } from "../retention-class";
import { ago } from "../retention-settings";

export const deletedGenerations: RetentionClass = {
  id: "deleted-generations",
  description:
    "Generations deleted more than RETENTION_DELETED_GENERATIONS_MINUTES ago: row, prompt, parameters, attempt log, webhook events and files",
  async removeBatch({ db, blobStore, now, settings }, { limit }) {
    const deletedBefore = ago.minutes(now, settings.deletedGenerationsMinutes);
    const { removed, blobKeys } = await db.transaction().execute(async (trx) => {
      const generations = await lockDeletedGenerations(trx, { deletedBefore, limit });
      if (generations.length === 0) return { removed: 0, blobKeys: [] };
      const generationIds = generations.map((g) => g.id);
      await eraseGenerationWebhookEvents(trx, { generationIds });
      const removed = await eraseDeletedGenerationRows(trx, { generationIds });
      // After the rows: an upload still named by a generation outside this batch stays.
      const inputs = await eraseDeletedAssetsNoLongerUsed(trx, {
        assetIds: generations.flatMap((g) => g.inputAssetIds),
      });
      return { removed, blobKeys: [...generations.flatMap((g) => g.blobKeys), ...inputs.blobKeys] };
    });
    for (const key of blobKeys) await blobStore.delete(key);
    return { removed, cursor: removed < limit ? null : "more" };
  },
};
