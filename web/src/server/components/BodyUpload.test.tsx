import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Attachment } from "../types";
import { BodyUpload } from "./BodyUpload";

class PendingXhr {
  static last: PendingXhr;
  upload: { onprogress: ((event: Partial<ProgressEvent>) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  body: FormData | null = null;
  constructor() {
    PendingXhr.last = this;
  }
  open() {}
  setRequestHeader() {}
  send(body: FormData) {
    this.body = body;
  }
}

describe("the body upload", () => {
  beforeEach(() => vi.stubGlobal("XMLHttpRequest", PendingXhr));
  afterEach(() => vi.unstubAllGlobals());

  it("uploads a dropped file, shows its progress, then its name, size and SHA-256", async () => {
    const uploaded = vi.fn<(attachment: Attachment) => void>();
    const { rerender } = render(<BodyUpload attachmentId={null} attachment={null} onUploaded={uploaded} />);
    const file = new File(["x".repeat(2048)], "payload.bin");
    fireEvent.drop(screen.getByTestId("body-dropzone"), { dataTransfer: { files: [file] } });
    expect((PendingXhr.last.body?.get("file") as File).name).toBe("payload.bin");

    act(() => PendingXhr.last.upload.onprogress?.({ loaded: 1024, total: 2048, lengthComputable: true }));
    expect(screen.getByRole("progressbar", { name: "Upload progress" }).getAttribute("aria-valuenow")).toBe("50");

    const attachment: Attachment = { id: 3, filename: "payload.bin", content_type: "application/octet-stream", size: 2048, sha256: "ab12", created_at: "" };
    await act(async () => {
      Object.assign(PendingXhr.last, { status: 201, responseText: JSON.stringify(attachment) });
      PendingXhr.last.onload?.();
    });
    expect(uploaded).toHaveBeenCalledWith(attachment);
    expect(screen.queryByRole("progressbar")).toBeNull();
    rerender(<BodyUpload attachmentId={3} attachment={attachment} onUploaded={uploaded} />);
    const info = screen.getByTestId("attachment-info").textContent ?? "";
    expect(info).toContain("payload.bin");
    expect(info).toContain("2048 bytes");
    expect(info).toContain("ab12");
  });

  it("says why an upload was refused", async () => {
    render(<BodyUpload attachmentId={null} attachment={null} onUploaded={() => undefined} />);
    fireEvent.change(screen.getByLabelText("Upload file"), { target: { files: [new File(["x"], "big.bin")] } });
    await act(async () => {
      Object.assign(PendingXhr.last, { status: 413, responseText: JSON.stringify({ detail: "larger than 26214400 bytes" }) });
      PendingXhr.last.onload?.();
    });
    expect(screen.getByRole("alert").textContent).toContain("larger than 26214400 bytes");
  });
});
