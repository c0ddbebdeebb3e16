// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  createSpec,
  deleteSpec,
  describeError,
  listAll,
  listRuns,
  listSpecs,
  runSocketUrl,
  startRun,
  TOKEN_KEY,
  uploadAttachment,
} from "./api";
import type { SpecInput } from "./types";

/** localStorage for the node environment: a Map behind the Storage methods the client uses. */
function memoryStorage(): Pick<Storage, "getItem" | "setItem" | "clear"> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    clear: () => items.clear(),
  };
}
const storage = memoryStorage();
function useMemoryStorage(): void {
  storage.clear();
  vi.stubGlobal("localStorage", storage);
}

function respond(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

const SPEC: SpecInput = {
  name: "checkout",
  request: { method: "GET", url: "http://127.0.0.1:8080/", headers: {}, body: null, attachment_id: null, body_mode: "raw", record_timings: false },
  scenario_code: null,
  load_profile: { ramp_up: 1, users: 2, steady: 3, ramp_down: 1 },
  thresholds: [],
};

describe("the API client", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    useMemoryStorage();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("posts JSON and returns the decoded answer", async () => {
    fetchMock.mockResolvedValue(respond(201, { id: 4, ...SPEC }));
    const spec = await createSpec(SPEC);
    expect(spec.id).toBe(4);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/specs");
    expect(init.method).toBe("POST");
    expect(JSON.parse(init.body as string)).toEqual(SPEC);
    expect((init.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it("sends the stored token as a bearer header", async () => {
    localStorage.setItem(TOKEN_KEY, "s3cret");
    fetchMock.mockResolvedValue(respond(202, { id: 9 }));
    await startRun(3);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/runs/3");
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer s3cret");
  });

  it("puts filters and the page in the query, leaving out empty ones", async () => {
    fetchMock.mockResolvedValue(respond(200, { items: [], total: 0, limit: 25, offset: 50 }));
    await listRuns({ status: "failed", spec_id: null, limit: 25, offset: 50 });
    expect(fetchMock.mock.calls[0]?.[0]).toBe("/api/runs?status=failed&limit=25&offset=50");
  });

  it("reads a whole list a page of MAX_PAGE at a time", async () => {
    const specs = Array.from({ length: 450 }, (_, i) => ({ id: i + 1 }));
    fetchMock.mockImplementation((url: string) => {
      const params = new URL(url, "http://x").searchParams;
      const [limit, offset] = [Number(params.get("limit")), Number(params.get("offset"))];
      return Promise.resolve(respond(200, { items: specs.slice(offset, offset + limit), total: 450, limit, offset }));
    });
    expect(await listAll(listSpecs)).toHaveLength(450);
    expect(fetchMock.mock.calls.map((call) => call[0])).toEqual([
      "/api/specs?limit=200&offset=0",
      "/api/specs?limit=200&offset=200",
      "/api/specs?limit=200&offset=400",
    ]);
  });

  it("accepts an empty 204 answer", async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(deleteSpec(1)).resolves.toBeUndefined();
  });

  it("raises the status and detail of a refusal", async () => {
    fetchMock.mockResolvedValue(respond(403, { detail: "target 10.0.0.1 is not allowed: start with --allow-target" }));
    const error = await startRun(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).message).toContain("--allow-target");
  });

  it("describes validation lists by field", () => {
    const detail = [{ loc: ["body", "request", "url"], msg: "invalid URL", type: "value_error" }];
    expect(describeError(422, detail)).toBe("request.url: invalid URL");
    expect(describeError(409, "")).toBe("HTTP 409");
  });
});

describe("runSocketUrl", () => {
  const location = { protocol: "https:", host: "lf.example:8000" } as Location;
  it("uses wss under https and passes the token as a query parameter", () => {
    expect(runSocketUrl(7, location, null)).toBe("wss://lf.example:8000/ws/runs/7");
    expect(runSocketUrl(7, location, "a b")).toBe("wss://lf.example:8000/ws/runs/7?token=a%20b");
  });
});

class FakeXhr {
  static last: FakeXhr;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe("uploadAttachment", () => {
  const create = () => new FakeXhr() as unknown as XMLHttpRequest;
  beforeEach(useMemoryStorage);
  afterEach(() => vi.unstubAllGlobals());

  it("sends the file as the field `file` and reports progress", async () => {
    localStorage.setItem(TOKEN_KEY, "t");
    const file = new File(["hello"], "body.bin", { type: "application/octet-stream" });
    const seen: number[] = [];
    const done = uploadAttachment(file, (p) => seen.push(p.loaded / p.total), create);
    const xhr = FakeXhr.last;
    expect([xhr.method, xhr.url]).toEqual(["POST", "/api/attachments"]);
    expect(xhr.headers.Authorization).toBe("Bearer t");
    expect((xhr.body?.get("file") as File).name).toBe("body.bin");
    xhr.upload.onprogress?.({ loaded: 2, total: 5, lengthComputable: true } as ProgressEvent);
    xhr.upload.onprogress?.({ loaded: 5, total: 5, lengthComputable: true } as ProgressEvent);
    xhr.answer(201, { id: 1, filename: "body.bin", content_type: "application/octet-stream", size: 5, sha256: "ab", created_at: "" });
    await expect(done).resolves.toMatchObject({ id: 1, size: 5 });
    expect(seen).toEqual([0.4, 1]);
  });

  it("rejects with the status of a file too large", async () => {
    const done = uploadAttachment(new File(["x"], "big"), () => undefined, create);
    FakeXhr.last.answer(413, { detail: "The file is over 26214400 bytes." });
    const error = await done.catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(413);
    expect((error as ApiError).message).toContain("26214400");
  });
});
