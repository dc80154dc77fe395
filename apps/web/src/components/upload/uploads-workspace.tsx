"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { UploadGrid } from "./upload-grid";
import { Uploader } from "./uploader";

/** Uploader above the grid; a finished upload refreshes the grid. */
export function UploadsWorkspace() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (
    <div className="uploads-workspace">
      <Uploader onUploaded={() => void queryClient.invalidateQueries({ queryKey: trpc.upload.list.queryKey() })} />
      <UploadGrid />
    </div>
  );
}
