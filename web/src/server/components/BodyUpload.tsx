// Drag a file (or pick one) to upload it as the request body, with the upload's progress.
import { useRef, useState, type DragEvent } from "react";
import { errorMessage, uploadAttachment, type UploadProgress } from "../api";
import type { Attachment } from "../types";
import { button, formatBytes } from "./ui";

interface Props {
  attachmentId: number | null;
  attachment: Attachment | null;
  onUploaded: (attachment: Attachment) => void;
}

export function BodyUpload({ attachmentId, attachment, onUploaded }: Props) {
  const picker = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const upload = async (file: File) => {
    setError(null);
    setProgress({ loaded: 0, total: file.size });
    try {
      onUploaded(await uploadAttachment(file, setProgress));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file !== undefined) void upload(file);
  };

  const percent = progress && progress.total > 0 ? Math.round((100 * progress.loaded) / progress.total) : 0;
  return (
    <div className="space-y-2">
      <div
        data-testid="body-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        className={`flex flex-col items-center gap-2 rounded border-2 border-dashed p-4 text-sm ${dragging ? "border-sky-500 bg-sky-950/30" : "border-slate-700"}`}
      >
        <p className="text-slate-400">Drop a file here (25 MiB at most), or</p>
        <button type="button" className={button} onClick={() => picker.current?.click()} disabled={progress !== null}>
          Choose file
        </button>
        <label htmlFor="body-file" className="sr-only">
          Upload file
        </label>
        <input
          id="body-file"
          ref={picker}
          type="file"
          className="hidden"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file !== undefined) void upload(file);
            event.target.value = "";
          }}
        />
      </div>
      {progress !== null && (
        <div>
          <div
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-full overflow-hidden rounded bg-slate-800"
          >
            <div className="h-full bg-sky-500" style={{ width: `${percent}%` }} />
          </div>
          <p className="text-xs text-slate-400">
            Uploading… {percent}% ({formatBytes(progress.loaded)} of {formatBytes(progress.total)})
          </p>
        </div>
      )}
      {error !== null && (
        <p role="alert" className="text-xs text-red-400">
          Upload failed: {error}
        </p>
      )}
      {attachment !== null ? (
        <dl data-testid="attachment-info" className="grid grid-cols-[auto_1fr] gap-x-3 text-xs">
          <dt className="text-slate-400">File</dt>
          <dd className="font-mono">{attachment.filename}</dd>
          <dt className="text-slate-400">Size</dt>
          <dd className="font-mono">{formatBytes(attachment.size)} ({attachment.size} bytes)</dd>
          <dt className="text-slate-400">SHA-256</dt>
          <dd className="break-all font-mono">{attachment.sha256}</dd>
        </dl>
      ) : (
        attachmentId !== null && <p data-testid="attachment-info" className="text-xs text-slate-400">Attachment #{attachmentId}</p>
      )}
    </div>
  );
}
