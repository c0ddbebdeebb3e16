// @vitest-environment node
import { describe, expect, it } from "vitest";
import { isRampProfile, rampDuration, rampPoints, usersAt } from "./profile";

describe("the ramp preview", () => {
  const profile = { ramp_up: 10, users: 50, steady: 20, ramp_down: 5 };

  it("goes 0 → users over ramp_up, holds, then users → 0", () => {
    expect(rampPoints(profile)).toEqual([
      { t: 0, users: 0 },
      { t: 10, users: 50 },
      { t: 30, users: 50 },
      { t: 35, users: 0 },
    ]);
    expect(rampDuration(profile)).toBe(35);
  });

  it("interpolates users at any second", () => {
    expect(usersAt(profile, 5)).toBe(25);
    expect(usersAt(profile, 20)).toBe(50);
    expect(usersAt(profile, 32.5)).toBe(25);
    expect(usersAt(profile, 40)).toBe(0);
  });

  it("starts at full users without a ramp up and draws blanks as 0", () => {
    expect(rampPoints({ ramp_up: 0, users: 8, steady: 4, ramp_down: 0 })).toEqual([
      { t: 0, users: 8 },
      { t: 4, users: 8 },
      { t: 4, users: 0 },
    ]);
    expect(rampPoints({ ramp_up: Number.NaN, users: -3, steady: 0, ramp_down: 0 })).toEqual([{ t: 0, users: 0 }]);
  });

  it("tells the ramp form from `loadforge run` options", () => {
    expect(isRampProfile(profile)).toBe(true);
    expect(isRampProfile({ users: 5, duration: "30s" })).toBe(false);
    expect(isRampProfile({ ...profile, workers: 2 })).toBe(false);
  });
});
