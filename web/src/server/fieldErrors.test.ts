// @vitest-environment node
import { describe, expect, it } from "vitest";
import { mapFieldErrors } from "./fieldErrors";
import { EDITOR_FIELDS } from "./specForm";

describe("422 error mapping", () => {
  it("puts each issue beside the field its loc names", () => {
    const detail = [
      { loc: ["body", "name"], msg: "Field required", type: "missing" },
      { loc: ["body", "request", "url"], msg: "Input should be a valid URL", type: "url_parsing" },
      { loc: ["body", "load_profile", "users"], msg: "must be positive", type: "value_error" },
      { loc: ["body", "thresholds", 1], msg: "Value error, invalid threshold 'p95<'", type: "value_error" },
      { loc: ["body", "request", "headers", "X-Id"], msg: "bad header", type: "value_error" },
    ];
    const mapped = mapFieldErrors(detail, EDITOR_FIELDS);
    expect(mapped.fields).toEqual({
      name: "Field required",
      "request.url": "Input should be a valid URL",
      "load_profile.users": "must be positive",
      thresholds: "invalid threshold 'p95<'",
      "request.headers": "bad header",
    });
    expect(mapped.general).toEqual([]);
  });

  it("joins two issues on one field and keeps the unknown ones as a message", () => {
    const detail = [
      { loc: ["body", "name"], msg: "too short" },
      { loc: ["body", "name"], msg: "taken" },
      { loc: ["body", "colour"], msg: "extra field" },
      { loc: ["body"], msg: "request or scenario_code" },
    ];
    const mapped = mapFieldErrors(detail, EDITOR_FIELDS);
    expect(mapped.fields).toEqual({ name: "too short; taken" });
    expect(mapped.general).toEqual(["colour: extra field", "request or scenario_code"]);
  });

  it("shows a plain-text detail as the message", () => {
    expect(mapFieldErrors("invalid cron expression", ["cron"])).toEqual({ fields: {}, general: ["invalid cron expression"] });
  });
});
