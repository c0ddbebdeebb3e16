// Typed calls to `loadforge serve`'s REST API (docs/server-api.md). Every call sends the
// bearer token kept in localStorage under `loadforge.token`, when one is set.
import type {
  Attachment,
  ErrorDetail,
  Page,
  Run,
  RunStatus,
  Schedule,
  ScheduleInput,
  Spec,
  SpecInput,
} from "./types";

export const TOKEN_KEY = "loadforge.token";

export function storedToken(): string | null {
  try {
    const token = globalThis.localStorage.getItem(TOKEN_KEY);
    return token === null || token === "" ? null : token;
  } catch {
    return null;
  }
}

/** An answer other than 2xx: its status and FastAPI's `detail` (a string or a list of issues). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: ErrorDetail,
  ) {
    super(describeError(status, detail));
    this.name = "ApiError";
  }
}

/** One line for a message: the detail when it is text, the issues' messages when a list. */
export function describeError(status: number, detail: ErrorDetail): string {
  if (status === 401) return "The server wants an API token: use “Set API token” above.";
  if (typeof detail === "string" && detail !== "") return detail;
  if (Array.isArray(detail)) {
    const messages = detail.map((issue: unknown) => {
      const { loc, msg } = (issue ?? {}) as { loc?: unknown[]; msg?: unknown };
      const where = Array.isArray(loc) ? loc.filter((part) => part !== "body").join(".") : "";
      return where ? `${where}: ${String(msg)}` : String(msg);
    });
    if (messages.length > 0) return messages.join("; ");
  }
  return `HTTP ${status}`;
}

/** The message to show for any failure of a call. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return `The server cannot be reached (${error.message}).`;
  return String(error);
}

function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...authHeaders() };
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    const payload = (await response.json().catch(() => ({}))) as { detail?: ErrorDetail };
    throw new ApiError(response.status, payload.detail ?? response.statusText);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

/** The largest page the server gives (its MAX_LIMIT); a bigger `limit` is a 422. */
export const MAX_PAGE = 200;

export interface PageParams {
  limit?: number;
  offset?: number;
}

export interface RunFilter extends PageParams {
  spec_id?: number | null;
  status?: RunStatus | null;
}

export const listSpecs = (params: PageParams = {}) => request<Page<Spec>>("GET", `/api/specs${query({ ...params })}`);
export const getSpec = (id: number) => request<Spec>("GET", `/api/specs/${id}`);
export const createSpec = (spec: SpecInput) => request<Spec>("POST", "/api/specs", spec);
export const updateSpec = (id: number, spec: SpecInput) => request<Spec>("PUT", `/api/specs/${id}`, spec);
export const deleteSpec = (id: number) => request<void>("DELETE", `/api/specs/${id}`);

export const startRun = (specId: number) => request<Run>("POST", `/api/runs/${specId}`);
export const stopRun = (id: number) => request<Run>("POST", `/api/runs/${id}/stop`);
export const getRun = (id: number) => request<Run>("GET", `/api/runs/${id}`);
export const listRuns = (filter: RunFilter = {}) => request<Page<Run>>("GET", `/api/runs${query({ ...filter })}`);
export const runCsvUrl = (id: number) => `/api/runs/${id}/csv`;
export const runReportUrl = (id: number) => `/api/runs/${id}/report`;
export const runReportPdfUrl = (id: number) => `/api/runs/${id}/report.pdf`;

export const listSchedules = (params: PageParams = {}) =>
  request<Page<Schedule>>("GET", `/api/schedules${query({ ...params })}`);

/** Every item of a list, a page of MAX_PAGE at a time (for the pickers that need them all). */
export async function listAll<T>(list: (params: PageParams) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await list({ limit: MAX_PAGE, offset: items.length });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}
export const createSchedule = (schedule: ScheduleInput) => request<Schedule>("POST", "/api/schedules", schedule);
export const updateSchedule = (id: number, schedule: ScheduleInput) =>
  request<Schedule>("PUT", `/api/schedules/${id}`, schedule);
export const deleteSchedule = (id: number) => request<void>("DELETE", `/api/schedules/${id}`);

/** The run's WebSocket URL; browsers cannot set headers there, so the token goes in the query. */
export function runSocketUrl(id: number, location: Location = window.location, token = storedToken()): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const suffix = token === null ? "" : `?token=${encodeURIComponent(token)}`;
  return `${scheme}://${location.host}/ws/runs/${id}${suffix}`;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** XMLHttpRequest's constructor, replaceable in tests. */
export type XhrFactory = () => XMLHttpRequest;

/**
 * POST /api/attachments with the file as the multipart field `file`. XMLHttpRequest, not
 * fetch, because only XHR reports upload progress.
 */
export function uploadAttachment(
  file: File,
  onProgress: (progress: UploadProgress) => void,
  createXhr: XhrFactory = () => new XMLHttpRequest(),
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = createXhr();
    xhr.open("POST", "/api/attachments");
    const token = storedToken();
    if (token !== null) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      let payload: unknown = null;
      try {
        payload = JSON.parse(xhr.responseText);
      } catch {
        payload = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(payload as Attachment);
      } else {
        const detail = (payload as { detail?: ErrorDetail } | null)?.detail ?? xhr.statusText;
        reject(new ApiError(xhr.status, xhr.status === 413 && !detail ? "The file is over 25 MiB." : detail));
      }
    };
    xhr.onerror = () => reject(new Error("upload failed"));
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

/**
 * Opens a CSV or report link. A plain link cannot carry the bearer header, so with a token
 * the file is fetched and handed to the browser as a blob.
 */
export async function openProtected(url: string, filename: string): Promise<void> {
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) {
    const payload = (await response.json().catch(() => ({}))) as { detail?: ErrorDetail };
    throw new ApiError(response.status, payload.detail ?? response.statusText);
  }
  const blobUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = blobUrl;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
}
