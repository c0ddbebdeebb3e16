import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { snapshot } from "../test/fixtures";
import { Cards, snapshotCards } from "./Cards";

describe("Cards", () => {
  it("shows each card's figure, and an arrow only for a card with a trend", () => {
    render(
      <Cards
        cards={[
          { id: "rps", title: "RPS", value: "12.5" },
          { id: "p95", title: "p95 Latency", value: "4.00ms", trend: { direction: "up", higherIsBad: true } },
        ]}
      />,
    );
    expect(screen.getByTestId("card-rps-value").textContent).toBe("12.5");
    expect(screen.queryByTestId("card-rps-trend")).toBeNull();
    const arrow = screen.getByTestId("card-p95-trend");
    expect(arrow.textContent).toBe("▲");
    expect(arrow.className).toContain("text-red-400");
  });
});

describe("snapshotCards", () => {
  it("shows a dash and no movement before the first snapshot", () => {
    const cards = snapshotCards(undefined, undefined);
    expect(cards.map((card) => card.id)).toEqual(["users", "rps", "p95", "p99", "errors"]);
    expect(cards.every((card) => card.value === "–" && card.trend?.direction === "flat")).toBe(true);
  });

  it("formats the latest snapshot and compares it with the previous one", () => {
    const previous = snapshot(1);
    const latest = { ...snapshot(2), rps: 150, latency_p95: 2 };
    const cards = Object.fromEntries(snapshotCards(latest, previous).map((card) => [card.id, card]));
    expect(cards.users?.value).toBe("5");
    expect(cards.rps?.value).toBe("150.0");
    expect(cards.rps?.trend).toEqual({ direction: "up", higherIsBad: false });
    expect(cards.p95?.value).toBe("2.00ms");
    expect(cards.p95?.trend).toEqual({ direction: "down", higherIsBad: true });
    expect(cards.errors?.value).toBe("0.00%");
  });

  it("colours a rise green when higher is good, a fall red", () => {
    const previous = snapshot(1);
    render(<Cards cards={snapshotCards({ ...snapshot(2), rps: 50 }, previous)} />);
    expect(screen.getByTestId("card-rps-trend").className).toContain("text-red-400");
    render(<Cards cards={snapshotCards({ ...snapshot(3), rps: 200 }, previous)} />);
    expect(screen.getAllByTestId("card-rps-trend")[1]?.className).toContain("text-emerald-400");
  });
});
