// FastAPI's 422 detail → a message next to each field it names, the rest as one message.
import type { ErrorDetail } from "./types";

/** Pydantic prefixes a validator's own message with this; the field beside it says enough. */
const PYDANTIC_PREFIX = /^(Value|Assertion) error, /;

export interface FieldErrors {
  /** By field key (the detail's `loc` without the leading "body", joined with dots). */
  fields: Record<string, string>;
  /** What names no field the form shows. */
  general: string[];
}

/**
 * Each issue goes to the longest of `known` that its location starts with: an issue at
 * `request.headers.X-Id` shows beside `request.headers`, one at `thresholds.1` beside `thresholds`.
 */
export function mapFieldErrors(detail: ErrorDetail, known: readonly string[]): FieldErrors {
  const result: FieldErrors = { fields: {}, general: [] };
  if (!Array.isArray(detail)) {
    result.general.push(typeof detail === "string" && detail !== "" ? detail : "The server refused the input.");
    return result;
  }
  for (const issue of detail as unknown[]) {
    const { loc, msg } = (issue ?? {}) as { loc?: unknown; msg?: unknown };
    const parts = Array.isArray(loc) ? loc.map(String) : [];
    if (parts[0] === "body") parts.shift();
    const path = parts.join(".");
    const message = typeof msg === "string" ? msg.replace(PYDANTIC_PREFIX, "") : "invalid";
    const field = known
      .filter((key) => path === key || path.startsWith(`${key}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (field === undefined) {
      result.general.push(path === "" ? message : `${path}: ${message}`);
    } else {
      result.fields[field] = result.fields[field] ? `${result.fields[field]}; ${message}` : message;
    }
  }
  return result;
}
