// The users-over-time line of a ramp profile, redrawn as the form changes.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { rampDuration, rampPoints } from "../profile";
import type { RampProfile } from "../types";

export function ProfilePreview({ profile }: { profile: RampProfile }) {
  const points = rampPoints(profile);
  return (
    <figure data-testid="profile-preview" className="rounded-lg bg-slate-950/60 p-2">
      <figcaption className="mb-1 text-xs text-slate-400">
        Users over time · {rampDuration(profile)} s in all
      </figcaption>
      <div className="h-40">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={points}>
            <CartesianGrid stroke="#1e293b" />
            <XAxis dataKey="t" type="number" unit="s" domain={[0, "dataMax"]} stroke="#94a3b8" fontSize={11} />
            <YAxis allowDecimals={false} stroke="#94a3b8" fontSize={11} />
            <Tooltip contentStyle={{ background: "#0f172a", border: "1px solid #334155" }} />
            <Area type="linear" dataKey="users" name="users" stroke="#a78bfa" fill="#a78bfa" fillOpacity={0.25} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
