// /schedules: the schedules, a form to add one, enable/disable and delete.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { ApiError, createSchedule, deleteSchedule, errorMessage, listAll, listSchedules, listSpecs, updateSchedule } from "../api";
import { ErrorMessage, Field, button, dangerButton, formatDate, input, panel, primaryButton, table, td, th } from "../components/ui";
import { mapFieldErrors } from "../fieldErrors";
import type { Schedule, Spec } from "../types";

const SCHEDULE_FIELDS = ["spec_id", "cron", "timezone", "enabled"] as const;

export function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

function knownTimezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

export function SchedulesPage() {
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [specs, setSpecs] = useState<Spec[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [specId, setSpecId] = useState("");
  const [cron, setCron] = useState("*/5 * * * *");
  const [timezone, setTimezone] = useState(browserTimezone);
  const [enabled, setEnabled] = useState(true);
  const [saving, setSaving] = useState(false);
  const timezones = useMemo(knownTimezones, []);

  const load = useCallback(async () => {
    try {
      const [scheduled, saved] = await Promise.all([listAll(listSchedules), listAll(listSpecs)]);
      setSchedules(scheduled);
      setSpecs(saved);
      setSpecId((current) => current || String(saved[0]?.id ?? ""));
    } catch (e) {
      setError(errorMessage(e));
      setSchedules([]);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const specName = (id: number) => specs.find((spec) => spec.id === id)?.name ?? `spec #${id}`;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setFieldErrors({});
    if (specId === "") {
      setFieldErrors({ spec_id: "Create a spec first." });
      return;
    }
    setSaving(true);
    try {
      await createSchedule({ spec_id: Number(specId), cron: cron.trim(), timezone: timezone.trim(), enabled });
      await load();
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) {
        const mapped = mapFieldErrors(e.detail, SCHEDULE_FIELDS);
        setFieldErrors(mapped.fields);
        if (mapped.general.length > 0) setError(mapped.general.join("; "));
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setSaving(false);
    }
  };

  const toggle = async (schedule: Schedule) => {
    setError(null);
    try {
      const { spec_id, cron: expression, timezone: zone } = schedule;
      await updateSchedule(schedule.id, { spec_id, cron: expression, timezone: zone, enabled: !schedule.enabled });
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const remove = async (schedule: Schedule) => {
    if (!window.confirm(`Delete the schedule “${schedule.cron}” of ${specName(schedule.spec_id)}?`)) return;
    setError(null);
    try {
      await deleteSchedule(schedule.id);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <main className="space-y-4">
      <h1 className="text-lg font-semibold">Schedules</h1>
      <ErrorMessage message={error} onDismiss={() => setError(null)} />
      <form onSubmit={(event) => void create(event)} className={`${panel} grid items-end gap-3 md:grid-cols-[1fr_10rem_14rem_auto_auto]`} noValidate>
        <Field id="schedule-spec" label="Spec" error={fieldErrors.spec_id}>
          <select id="schedule-spec" className={input} value={specId} onChange={(e) => setSpecId(e.target.value)}>
            {specs.length === 0 && <option value="">no specs yet</option>}
            {specs.map((spec) => (
              <option key={spec.id} value={String(spec.id)}>
                {spec.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="schedule-cron" label="Cron" error={fieldErrors.cron}>
          <input id="schedule-cron" className={`${input} font-mono`} value={cron} placeholder="*/5 * * * *" onChange={(e) => setCron(e.target.value)} />
        </Field>
        <Field id="schedule-timezone" label="Timezone" error={fieldErrors.timezone}>
          <input id="schedule-timezone" list="timezones" className={input} value={timezone} onChange={(e) => setTimezone(e.target.value)} />
          <datalist id="timezones">
            {timezones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </Field>
        <label htmlFor="schedule-enabled" className="flex items-center gap-2 pb-1 text-sm">
          <input id="schedule-enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
        <button type="submit" className={primaryButton} disabled={saving}>
          Create schedule
        </button>
      </form>
      {schedules === null ? (
        <p className="text-slate-400">Loading…</p>
      ) : schedules.length === 0 ? (
        <p className="text-slate-400">No schedules.</p>
      ) : (
        <table className={table} data-testid="schedules-table">
          <thead>
            <tr>
              {["Spec", "Cron", "Timezone", "State", "Next firing", "Last firing", "Last run", ""].map((title, i) => (
                <th key={i} className={th}>
                  {title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {schedules.map((schedule) => (
              <tr key={schedule.id} data-testid={`schedule-row-${schedule.id}`}>
                <td className={td}>{specName(schedule.spec_id)}</td>
                <td className={`${td} font-mono`}>{schedule.cron}</td>
                <td className={td}>{schedule.timezone}</td>
                <td className={td}>{schedule.enabled ? "enabled" : <span className="text-slate-500">disabled</span>}</td>
                <td className={td}>{schedule.enabled ? formatDate(schedule.next_fire_at) : "–"}</td>
                <td className={td}>{formatDate(schedule.last_fire_at)}</td>
                <td className={td}>
                  {schedule.last_run_id === null ? (
                    "–"
                  ) : (
                    <Link to={`/runs/${schedule.last_run_id}`} className="font-mono text-sky-400 hover:underline">
                      #{schedule.last_run_id}
                    </Link>
                  )}
                </td>
                <td className={`${td} whitespace-nowrap text-right`}>
                  <span className="inline-flex gap-2">
                    <button type="button" className={button} onClick={() => void toggle(schedule)}>
                      {schedule.enabled ? "Disable" : "Enable"}
                    </button>
                    <button type="button" className={dangerButton} onClick={() => void remove(schedule)}>
                      Delete
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
