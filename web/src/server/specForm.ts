// The spec editor's form state, and the JSON body it saves: pure, so tested without a page.
import { isRampProfile } from "./profile";
import type { Attachment, BodyMode, LoadProfile, Method, RampProfile, Spec, SpecInput } from "./types";

export interface HeaderRow {
  id: number;
  key: string;
  value: string;
}

export interface SpecForm {
  name: string;
  kind: "request" | "scenario";
  method: Method;
  url: string;
  headers: HeaderRow[];
  bodySource: "text" | "file";
  body: string;
  /** The uploaded file the body sends; `attachment` has its details when uploaded in this page. */
  attachmentId: number | null;
  attachment: Attachment | null;
  bodyMode: BodyMode;
  /** Whether each response's ttfb and receiving times are recorded (ttfb thresholds need it). */
  recordTimings: boolean;
  scenarioCode: string;
  profileKind: "ramp" | "options";
  /** Kept as typed, so that a half-typed number stays in its input. */
  ramp: Record<keyof RampProfile, string>;
  /** The `loadforge run` options form, as JSON text. */
  profileJson: string;
  thresholds: string[];
}

let nextRowId = 1;
export function headerRow(key = "", value = ""): HeaderRow {
  nextRowId += 1;
  return { id: nextRowId, key, value };
}

export function emptyForm(): SpecForm {
  return {
    name: "",
    kind: "request",
    method: "GET",
    url: "",
    headers: [],
    bodySource: "text",
    body: "",
    attachmentId: null,
    attachment: null,
    bodyMode: "raw",
    recordTimings: false,
    scenarioCode: "",
    profileKind: "ramp",
    ramp: { ramp_up: "5", users: "10", steady: "20", ramp_down: "5" },
    profileJson: '{\n  "users": 10,\n  "duration": "30s"\n}',
    thresholds: [],
  };
}

export function formFromSpec(spec: Spec): SpecForm {
  const form = emptyForm();
  form.name = spec.name;
  form.thresholds = [...spec.thresholds];
  if (spec.request !== null) {
    const request = spec.request;
    form.method = request.method;
    form.url = request.url;
    form.headers = Object.entries(request.headers).map(([key, value]) => headerRow(key, value));
    form.body = request.body ?? "";
    form.attachmentId = request.attachment_id;
    form.bodySource = request.attachment_id !== null ? "file" : "text";
    form.bodyMode = request.body_mode;
    form.recordTimings = request.record_timings;
  } else {
    form.kind = "scenario";
    form.scenarioCode = spec.scenario_code ?? "";
  }
  if (isRampProfile(spec.load_profile)) {
    const p = spec.load_profile;
    form.ramp = { ramp_up: String(p.ramp_up), users: String(p.users), steady: String(p.steady), ramp_down: String(p.ramp_down) };
  } else {
    form.profileKind = "options";
    form.profileJson = JSON.stringify(spec.load_profile, null, 2);
  }
  return form;
}

/** The ramp as numbers; what does not parse is NaN, which the preview draws as 0. */
export function rampFromForm(form: SpecForm): RampProfile {
  const n = (text: string): number => (text.trim() === "" ? Number.NaN : Number(text));
  return { ramp_up: n(form.ramp.ramp_up), users: n(form.ramp.users), steady: n(form.ramp.steady), ramp_down: n(form.ramp.ramp_down) };
}

export type BuildResult = { ok: true; input: SpecInput } | { ok: false; errors: Record<string, string> };

/**
 * The body of POST/PUT /api/specs. Checks here only what the server could not name a field
 * for (a header row without a name, JSON that does not parse); the server validates the rest.
 */
export function buildSpecInput(form: SpecForm): BuildResult {
  const errors: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const row of form.headers) {
    const key = row.key.trim();
    if (key === "" && row.value.trim() === "") continue; // an empty row the user added
    if (key === "") errors["request.headers"] = "A header needs a name.";
    else headers[key] = row.value;
  }
  let load_profile: LoadProfile;
  if (form.profileKind === "ramp") {
    const ramp = rampFromForm(form);
    for (const [key, value] of Object.entries(ramp)) {
      if (!Number.isFinite(value)) errors[`load_profile.${key}`] = "Enter a number.";
    }
    load_profile = ramp;
  } else {
    load_profile = {};
    try {
      const parsed: unknown = JSON.parse(form.profileJson);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      load_profile = parsed as Record<string, unknown>;
    } catch {
      errors.load_profile = "Enter a JSON object of `loadforge run` options.";
    }
  }
  if (form.kind === "request" && form.bodySource === "file" && form.attachmentId === null) {
    errors["request.attachment_id"] = "Upload a file, or choose a text body.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const useFile = form.bodySource === "file";
  const input: SpecInput = {
    name: form.name.trim(),
    request:
      form.kind === "request"
        ? {
            method: form.method,
            url: form.url.trim(),
            headers,
            body: useFile || form.body === "" ? null : form.body,
            attachment_id: useFile ? form.attachmentId : null,
            body_mode: form.bodyMode,
            record_timings: form.recordTimings,
          }
        : null,
    scenario_code: form.kind === "scenario" ? form.scenarioCode : null,
    load_profile,
    thresholds: form.thresholds.map((t) => t.trim()).filter((t) => t !== ""),
  };
  return { ok: true, input };
}

/** The field keys the editor shows errors beside (see mapFieldErrors). */
export const EDITOR_FIELDS = [
  "name",
  "request",
  "request.method",
  "request.url",
  "request.headers",
  "request.body",
  "request.attachment_id",
  "request.body_mode",
  "request.record_timings",
  "scenario_code",
  "load_profile",
  "load_profile.ramp_up",
  "load_profile.users",
  "load_profile.steady",
  "load_profile.ramp_down",
  "thresholds",
] as const;
