// @vitest-environment node
import { describe, expect, it } from "vitest";
import { buildSpecInput, emptyForm, formFromSpec, headerRow, type SpecForm } from "./specForm";
import type { Spec } from "./types";

function form(patch: Partial<SpecForm>): SpecForm {
  return { ...emptyForm(), name: " checkout ", method: "POST", url: "http://127.0.0.1:8080/anything", ...patch };
}

describe("the editor's JSON body", () => {
  it("turns the headers grid into an object, skipping blank rows", () => {
    const result = buildSpecInput(
      form({
        headers: [headerRow("Content-Type", "application/json"), headerRow("", ""), headerRow(" X-Id ", "7")],
        body: '{"a": 1}',
        thresholds: ["p95<500ms", " ", "error_rate<=0.01"],
        ramp: { ramp_up: "5", users: "50", steady: "20", ramp_down: "5" },
      }),
    );
    expect(result).toEqual({
      ok: true,
      input: {
        name: "checkout",
        request: {
          method: "POST",
          url: "http://127.0.0.1:8080/anything",
          headers: { "Content-Type": "application/json", "X-Id": "7" },
          body: '{"a": 1}',
          attachment_id: null,
          body_mode: "raw",
          record_timings: false,
        },
        scenario_code: null,
        load_profile: { ramp_up: 5, users: 50, steady: 20, ramp_down: 5 },
        thresholds: ["p95<500ms", "error_rate<=0.01"],
      },
    });
  });

  it("sends an uploaded file instead of the text body", () => {
    const result = buildSpecInput(form({ bodySource: "file", body: "ignored", attachmentId: 12, bodyMode: "multipart" }));
    expect(result.ok && result.input.request).toMatchObject({ body: null, attachment_id: 12, body_mode: "multipart" });
  });

  it("sends scenario code without a request, and run options as given", () => {
    const result = buildSpecInput(form({ kind: "scenario", scenarioCode: "print(1)", profileKind: "options", profileJson: '{"users": 3, "duration": "10s"}' }));
    expect(result.ok && result.input).toMatchObject({ request: null, scenario_code: "print(1)", load_profile: { users: 3, duration: "10s" } });
  });

  it("names the fields it cannot send", () => {
    const result = buildSpecInput(
      form({ headers: [headerRow("", "orphan")], ramp: { ramp_up: "", users: "5", steady: "1", ramp_down: "1" }, bodySource: "file" }),
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        "request.headers": "A header needs a name.",
        "load_profile.ramp_up": "Enter a number.",
        "request.attachment_id": "Upload a file, or choose a text body.",
      },
    });
    const json = buildSpecInput(form({ profileKind: "options", profileJson: "[1]" }));
    expect(json.ok ? null : json.errors.load_profile).toMatch(/JSON object/);
  });

  it("round-trips a saved spec through the form", () => {
    const spec: Spec = {
      id: 1,
      name: "checkout",
      request: { method: "PUT", url: "http://x/", headers: { A: "1" }, body: "b", attachment_id: null, body_mode: "raw", record_timings: false },
      scenario_code: null,
      load_profile: { ramp_up: 1, users: 2, steady: 3, ramp_down: 4 },
      thresholds: ["p95<1s"],
      created_at: "",
      updated_at: "",
      last_run: null,
    };
    const result = buildSpecInput(formFromSpec(spec));
    expect(result).toEqual({ ok: true, input: { name: spec.name, request: spec.request, scenario_code: null, load_profile: spec.load_profile, thresholds: spec.thresholds } });
  });
});
