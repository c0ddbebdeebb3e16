// The ramp form of a load profile, and the users-over-time line its preview chart draws.
import type { LoadProfile, RampProfile } from "./types";

export const RAMP_KEYS = ["ramp_up", "users", "steady", "ramp_down"] as const;

/** True when the profile is exactly the ramp form (any other key makes it `loadforge run` options). */
export function isRampProfile(profile: LoadProfile): profile is RampProfile {
  const keys = Object.keys(profile);
  return (
    keys.length === RAMP_KEYS.length &&
    RAMP_KEYS.every((key) => typeof (profile as Record<string, unknown>)[key] === "number")
  );
}

export interface ProfilePoint {
  t: number;
  users: number;
}

const clean = (value: number): number => (Number.isFinite(value) && value > 0 ? value : 0);

/**
 * The corners of the ramp: 0 → users over ramp_up, hold for steady, users → 0 over ramp_down.
 * Straight lines join them, so the chart needs no more points than these.
 */
export function rampPoints(profile: RampProfile): ProfilePoint[] {
  const users = clean(profile.users);
  const up = clean(profile.ramp_up);
  const steady = clean(profile.steady);
  const down = clean(profile.ramp_down);
  const points: ProfilePoint[] = [{ t: 0, users: up > 0 ? 0 : users }];
  if (up > 0) points.push({ t: up, users });
  if (steady > 0) points.push({ t: up + steady, users });
  points.push({ t: up + steady + down, users: 0 });
  return points.filter((point, i) => i === 0 || point.t !== points[i - 1]?.t || point.users !== points[i - 1]?.users);
}

/** Users at time t (seconds) of the ramp, by interpolating its corners. */
export function usersAt(profile: RampProfile, t: number): number {
  const points = rampPoints(profile);
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (t <= b.t) return b.t === a.t ? b.users : a.users + ((b.users - a.users) * (t - a.t)) / (b.t - a.t);
  }
  return 0;
}

export function rampDuration(profile: RampProfile): number {
  return clean(profile.ramp_up) + clean(profile.steady) + clean(profile.ramp_down);
}
