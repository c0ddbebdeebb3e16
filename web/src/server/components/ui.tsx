// Small pieces the server pages share: badges, messages, labelled fields, button styles, dates.
import type { ReactNode } from "react";
import type { RunStatus } from "../types";

export const button =
  "rounded bg-slate-700 px-3 py-1 text-sm font-medium hover:bg-slate-600 disabled:cursor-not-allowed disabled:opacity-40";
export const primaryButton =
  "rounded bg-sky-600 px-3 py-1 text-sm font-medium hover:bg-sky-500 disabled:cursor-not-allowed disabled:opacity-40";
export const dangerButton =
  "rounded bg-red-600 px-3 py-1 text-sm font-medium hover:bg-red-500 disabled:cursor-not-allowed disabled:opacity-40";
export const input =
  "w-full rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm text-slate-100 focus:border-sky-500 focus:outline-none";
export const panel = "rounded-lg bg-slate-900 p-3 shadow";
export const table = "w-full text-left text-sm";
export const th = "border-b border-slate-800 px-2 py-2 text-xs uppercase tracking-wide text-slate-400";
export const td = "border-b border-slate-800/60 px-2 py-2";

const STATUS_COLOUR: Record<RunStatus, string> = {
  queued: "bg-slate-700 text-slate-200",
  running: "bg-sky-700 text-sky-100",
  completed: "bg-emerald-800 text-emerald-100",
  stopped: "bg-amber-800 text-amber-100",
  failed: "bg-red-800 text-red-100",
  interrupted: "bg-orange-800 text-orange-100",
};

export function StatusBadge({ status, testId = "run-status" }: { status: RunStatus; testId?: string }) {
  return (
    <span data-testid={testId} className={`rounded px-2 py-0.5 font-mono text-xs uppercase tracking-wide ${STATUS_COLOUR[status]}`}>
      {status}
    </span>
  );
}

export function PassedBadge({ passed }: { passed: boolean | null }) {
  if (passed === null) return <span className="text-slate-500">–</span>;
  return (
    <span
      data-testid="passed-badge"
      className={`rounded px-2 py-0.5 text-xs font-semibold ${passed ? "bg-emerald-700 text-emerald-50" : "bg-red-700 text-red-50"}`}
    >
      {passed ? "passed" : "failed"}
    </span>
  );
}

export function ErrorMessage({ message, onDismiss }: { message: string | null; onDismiss?: () => void }) {
  if (message === null) return null;
  return (
    <div role="alert" data-testid="error-message" className="flex items-start justify-between gap-3 rounded border border-red-700 bg-red-950/60 px-3 py-2 text-sm text-red-200">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" aria-label="Dismiss" onClick={onDismiss} className="text-red-300 hover:text-red-100">
          ×
        </button>
      )}
    </div>
  );
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p id={id} data-testid={`error-${id}`} className="mt-1 text-xs text-red-400">
      {message}
    </p>
  );
}

export function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium uppercase tracking-wide text-slate-400">
        {label}
      </label>
      {children}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function formatDate(iso: string | null): string {
  if (iso === null) return "–";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "–";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m}m ${String(s).padStart(2, "0")}s`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
}
