import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { ROUTER_FUTURE } from "../../AppRoutes";
import { SpecEditorPage } from "./SpecEditorPage";

// Recharts' ResponsiveContainer needs a ResizeObserver, which jsdom lacks.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

function renderEditor(path = "/specs/new") {
  return render(
    <MemoryRouter initialEntries={[path]} future={ROUTER_FUTURE}>
      <Routes>
        <Route path="/specs/new" element={<SpecEditorPage />} />
        <Route path="/specs/:id/edit" element={<SpecEditorPage />} />
        <Route path="/specs" element={<p>specs list</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe("the spec editor", () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    vi.stubGlobal("ResizeObserver", NoResizeObserver);
    vi.spyOn(console, "warn").mockImplementation(() => undefined); // Recharts: a 0×0 chart in jsdom
    fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("saves what the labelled fields say, then goes back to the list", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ id: 1 }), { status: 201 }));
    renderEditor();
    type("Name", "checkout");
    type("Method", "POST");
    type("URL", "http://127.0.0.1:8080/anything");
    fireEvent.click(screen.getByRole("button", { name: "Add header" }));
    type("Header 1 key", "Content-Type");
    type("Header 1 value", "application/json");
    type("Body", '{"a": 1}');
    type("Ramp up (s)", "2");
    type("Users", "50");
    type("Steady (s)", "10");
    type("Ramp down (s)", "3");
    fireEvent.click(screen.getByRole("button", { name: "Add threshold" }));
    type("Threshold 1", "p95<500ms");
    expect(screen.getByTestId("profile-preview").textContent).toContain("15 s in all");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await screen.findByText("specs list");
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect([url, init.method]).toEqual(["/api/specs", "POST"]);
    expect(JSON.parse(init.body as string)).toEqual({
      name: "checkout",
      request: {
        method: "POST",
        url: "http://127.0.0.1:8080/anything",
        headers: { "Content-Type": "application/json" },
        body: '{"a": 1}',
        attachment_id: null,
        body_mode: "raw",
        record_timings: false,
      },
      scenario_code: null,
      load_profile: { ramp_up: 2, users: 50, steady: 10, ramp_down: 3 },
      thresholds: ["p95<500ms"],
    });
  });

  it("shows a 422 beside the field it names", async () => {
    const detail = [
      { loc: ["body", "request", "url"], msg: "Input should be a valid URL" },
      { loc: ["body", "load_profile"], msg: "unknown option 'colour'" },
    ];
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ detail }), { status: 422 }));
    renderEditor();
    type("Name", "x");
    type("URL", "nope");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByTestId("error-request.url-error")).textContent).toContain("Input should be a valid URL");
    expect(screen.getByLabelText("URL").getAttribute("aria-describedby")).toBe("request.url-error");
    expect(screen.getByTestId("error-load_profile-error").textContent).toContain("unknown option");
    expect(screen.getByRole("alert").textContent).toContain("Some fields are not valid");
  });

  it("loads the spec it edits and saves it with PUT", async () => {
    const saved = {
      id: 4, name: "old", request: { method: "PUT", url: "http://x/", headers: { A: "1" }, body: null, attachment_id: null, body_mode: "raw", record_timings: false },
      scenario_code: null, load_profile: { ramp_up: 1, users: 2, steady: 3, ramp_down: 4 }, thresholds: [],
      created_at: "", updated_at: "", last_run: null,
    }; // prettier-ignore
    fetchMock.mockImplementation((_url: string, init: RequestInit) =>
      Promise.resolve(new Response(init.method === "GET" ? JSON.stringify(saved) : JSON.stringify(saved), { status: 200 })),
    );
    renderEditor("/specs/4/edit");
    await screen.findByDisplayValue("old");
    expect((screen.getByLabelText("Header 1 key") as HTMLInputElement).value).toBe("A");
    type("Name", "new");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("specs list");
    const [url, init] = fetchMock.mock.calls[1] as [string, RequestInit];
    expect([url, init.method]).toEqual(["/api/specs/4", "PUT"]);
    expect(JSON.parse(init.body as string)).toMatchObject({ name: "new", request: { headers: { A: "1" } } });
  });
});

describe("labels", () => {
  it("are unique for the fields a browser test looks up", () => {
    vi.stubGlobal("ResizeObserver", NoResizeObserver);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    renderEditor();
    for (const label of ["Name", "Method", "URL", "Body", "Users", "Ramp up (s)", "Steady (s)", "Ramp down (s)"]) {
      expect(screen.getAllByLabelText(label, { exact: false })).toHaveLength(1);
    }
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
});
