// The four parts of the spec editor: the request, its body, the load profile, the thresholds.
// Each reads the form and reports changes; errors are keyed as mapFieldErrors keys them.
import type { ReactNode } from "react";
import { rampFromForm, type SpecForm } from "../specForm";
import { METHODS, type Method } from "../types";
import { BodyUpload } from "./BodyUpload";
import { HeadersGrid, ThresholdList } from "./HeadersGrid";
import { ProfilePreview } from "./ProfilePreview";
import { Field, FieldError, input, panel } from "./ui";

export interface SectionProps {
  form: SpecForm;
  set: (patch: Partial<SpecForm>) => void;
  errors: Record<string, string>;
}

const RAMP_FIELDS = [
  { key: "ramp_up", label: "Ramp up (s)" },
  { key: "users", label: "Users" },
  { key: "steady", label: "Steady (s)" },
  { key: "ramp_down", label: "Ramp down (s)" },
] as const;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className={`${panel} space-y-3`}>
      <h2 className="text-sm font-medium text-slate-300">{title}</h2>
      {children}
    </section>
  );
}

interface ChoiceProps<T extends string> {
  name: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}

function Choice<T extends string>({ name, value, options, onChange }: ChoiceProps<T>) {
  return (
    <div className="flex gap-4 text-sm" role="radiogroup">
      {options.map((option) => (
        <label key={option.value} className="flex items-center gap-1">
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
          {option.label}
        </label>
      ))}
    </div>
  );
}

const describedBy = (errors: Record<string, string>, key: string) => (errors[key] ? `${key}-error` : undefined);

export function RequestSection({ form, set, errors }: SectionProps) {
  const kinds = [
    { value: "request" as const, label: "HTTP request" },
    { value: "scenario" as const, label: "Python scenario" },
  ];
  return (
    <Section title="Request">
      <Field id="name" label="Name" error={errors.name}>
        <input id="name" className={input} value={form.name} aria-describedby={describedBy(errors, "name")} onChange={(e) => set({ name: e.target.value })} />
      </Field>
      <Choice name="kind" value={form.kind} options={kinds} onChange={(kind) => set({ kind })} />
      <FieldError id="request-error" message={errors.request} />
      {form.kind === "request" ? (
        <>
          <div className="grid gap-3 md:grid-cols-[10rem_1fr]">
            <Field id="request.method" label="Method" error={errors["request.method"]}>
              <select id="request.method" className={input} value={form.method} onChange={(e) => set({ method: e.target.value as Method })}>
                {METHODS.map((method) => (
                  <option key={method}>{method}</option>
                ))}
              </select>
            </Field>
            <Field id="request.url" label="URL" error={errors["request.url"]}>
              <input
                id="request.url"
                type="url"
                className={`${input} font-mono`}
                placeholder="http://127.0.0.1:8080/anything"
                value={form.url}
                aria-describedby={describedBy(errors, "request.url")}
                onChange={(e) => set({ url: e.target.value })}
              />
            </Field>
          </div>
          <div>
            <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-400">Headers</h3>
            <HeadersGrid rows={form.headers} onChange={(headers) => set({ headers })} />
            <FieldError id="request.headers-error" message={errors["request.headers"]} />
          </div>
        </>
      ) : (
        <Field id="scenario_code" label="Scenario code" error={errors.scenario_code}>
          <textarea id="scenario_code" rows={14} className={`${input} font-mono`} value={form.scenarioCode} onChange={(e) => set({ scenarioCode: e.target.value })} />
        </Field>
      )}
    </Section>
  );
}

export function BodySection({ form, set, errors }: SectionProps) {
  const sources = [
    { value: "text" as const, label: "Text" },
    { value: "file" as const, label: "File upload" },
  ];
  return (
    <Section title="Request body">
      <Choice name="body-source" value={form.bodySource} options={sources} onChange={(bodySource) => set({ bodySource })} />
      {form.bodySource === "text" ? (
        <Field id="request.body" label="Body" error={errors["request.body"]}>
          <textarea id="request.body" rows={6} className={`${input} font-mono`} value={form.body} onChange={(e) => set({ body: e.target.value })} />
        </Field>
      ) : (
        <>
          <BodyUpload
            attachmentId={form.attachmentId}
            attachment={form.attachment}
            onUploaded={(attachment) => set({ attachment, attachmentId: attachment.id })}
          />
          <FieldError id="request.attachment_id-error" message={errors["request.attachment_id"]} />
        </>
      )}
      <Field id="request.body_mode" label="Send as" error={errors["request.body_mode"]}>
        <select
          id="request.body_mode"
          className={`${input} md:w-80`}
          value={form.bodyMode}
          onChange={(e) => set({ bodyMode: e.target.value as SpecForm["bodyMode"] })}
        >
          <option value="raw">raw bytes</option>
          <option value="multipart">multipart/form-data (field “file”)</option>
        </select>
      </Field>
      <Field id="request.record_timings" label="Timings" error={errors["request.record_timings"]}>
        <label className="flex items-center gap-2">
          <input
            id="request.record_timings"
            type="checkbox"
            checked={form.recordTimings}
            onChange={(e) => set({ recordTimings: e.target.checked })}
          />
          record each response’s ttfb and receiving times (thresholds such as ttfb: p95&lt;100ms need them)
        </label>
      </Field>
    </Section>
  );
}

export function ProfileSection({ form, set, errors }: SectionProps) {
  const kinds = [
    { value: "ramp" as const, label: "Ramp up, hold, ramp down" },
    { value: "options" as const, label: "loadforge run options (JSON)" },
  ];
  return (
    <Section title="Load profile">
      <Choice name="profile-kind" value={form.profileKind} options={kinds} onChange={(profileKind) => set({ profileKind })} />
      {form.profileKind === "ramp" ? (
        <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
          <div className="grid grid-cols-2 content-start gap-3">
            {RAMP_FIELDS.map(({ key, label }) => (
              <Field key={key} id={`load_profile.${key}`} label={label} error={errors[`load_profile.${key}`]}>
                <input
                  id={`load_profile.${key}`}
                  type="number"
                  min={0}
                  step={key === "users" ? 1 : "any"}
                  className={input}
                  value={form.ramp[key]}
                  onChange={(e) => set({ ramp: { ...form.ramp, [key]: e.target.value } })}
                />
              </Field>
            ))}
          </div>
          <ProfilePreview profile={rampFromForm(form)} />
        </div>
      ) : (
        <Field id="load_profile.options" label="Run options (JSON)">
          <textarea id="load_profile.options" rows={6} className={`${input} font-mono`} value={form.profileJson} onChange={(e) => set({ profileJson: e.target.value })} />
        </Field>
      )}
      <FieldError id="load_profile-error" message={errors.load_profile} />
    </Section>
  );
}

export function ThresholdsSection({ form, set, errors }: SectionProps) {
  return (
    <Section title="Thresholds">
      <p className="text-xs text-slate-400">The CLI’s --threshold expressions, e.g. p95&lt;500ms or error_rate&lt;=0.01.</p>
      <ThresholdList thresholds={form.thresholds} onChange={(thresholds) => set({ thresholds })} />
      <FieldError id="thresholds-error" message={errors.thresholds} />
    </Section>
  );
}
