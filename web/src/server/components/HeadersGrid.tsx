// The request's headers as key/value rows.
import { headerRow, type HeaderRow } from "../specForm";
import { button, input } from "./ui";

export function HeadersGrid({ rows, onChange }: { rows: HeaderRow[]; onChange: (rows: HeaderRow[]) => void }) {
  const edit = (id: number, patch: Partial<HeaderRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  return (
    <div className="space-y-2" data-testid="headers-grid">
      {rows.map((row, i) => (
        <div key={row.id} className="flex gap-2">
          <input aria-label={`Header ${i + 1} key`} className={`${input} font-mono`} placeholder="Header" value={row.key} onChange={(e) => edit(row.id, { key: e.target.value })} />
          <input aria-label={`Header ${i + 1} value`} className={`${input} font-mono`} placeholder="Value" value={row.value} onChange={(e) => edit(row.id, { value: e.target.value })} />
          <button type="button" className={button} aria-label={`Remove header #${i + 1}`} onClick={() => onChange(rows.filter((r) => r.id !== row.id))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className={button} onClick={() => onChange([...rows, headerRow()])}>
        Add header
      </button>
    </div>
  );
}

export function ThresholdList({ thresholds, onChange }: { thresholds: string[]; onChange: (thresholds: string[]) => void }) {
  return (
    <div className="space-y-2" data-testid="thresholds">
      {thresholds.map((expression, i) => (
        <div key={i} className="flex gap-2">
          <input
            aria-label={`Threshold ${i + 1}`}
            className={`${input} font-mono`}
            placeholder="p95<500ms"
            value={expression}
            onChange={(e) => onChange(thresholds.map((t, j) => (j === i ? e.target.value : t)))}
          />
          <button type="button" className={button} aria-label={`Remove threshold #${i + 1}`} onClick={() => onChange(thresholds.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className={button} onClick={() => onChange([...thresholds, ""])}>
        Add threshold
      </button>
    </div>
  );
}
