import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter } from "react-router-dom";
import { ROUTER_FUTURE } from "../../AppRoutes";
import { spec } from "../../test/serverFixtures";
import { browserTimezone, SchedulesPage } from "./SchedulesPage";

describe("the schedules page", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn((url: string, init: RequestInit) => {
      if (init.method === "POST") {
        const detail = [{ loc: ["body", "cron"], msg: "malformed cron expression", type: "value_error" }];
        return Promise.resolve(new Response(JSON.stringify({ detail }), { status: 422 }));
      }
      const items = url.startsWith("/api/specs") ? [spec(4)] : [];
      return Promise.resolve(new Response(JSON.stringify({ items, total: items.length, limit: 200, offset: 0 })));
    });
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("creates a schedule in the browser's timezone and shows a bad cron beside its field", async () => {
    render(
      <MemoryRouter future={ROUTER_FUTURE}>
        <SchedulesPage />
      </MemoryRouter>,
    );
    await screen.findByText("checkout", { selector: "option" }); // not by role: the timezone list holds ~400 options
    expect((screen.getByLabelText("Timezone") as HTMLInputElement).value).toBe(browserTimezone());
    fireEvent.change(screen.getByLabelText("Cron"), { target: { value: "61 * * * *" } });
    fireEvent.click(screen.getByLabelText("Enabled"));
    fireEvent.click(screen.getByRole("button", { name: "Create schedule" }));
    expect((await screen.findByTestId("error-schedule-cron-error")).textContent).toBe("malformed cron expression");
    const post = fetchMock.mock.calls.find((call) => (call[1] as RequestInit).method === "POST")!;
    expect(JSON.parse((post[1] as RequestInit).body as string)).toEqual({
      spec_id: 4,
      cron: "61 * * * *",
      timezone: browserTimezone(),
      enabled: false,
    });
  });
});
