// /specs/new and /specs/:id/edit: load the spec, edit it in four sections, save it.
import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, createSpec, errorMessage, getSpec, updateSpec } from "../api";
import { BodySection, ProfileSection, RequestSection, ThresholdsSection } from "../components/SpecSections";
import { ErrorMessage, button, primaryButton } from "../components/ui";
import { mapFieldErrors } from "../fieldErrors";
import { buildSpecInput, EDITOR_FIELDS, emptyForm, formFromSpec, type SpecForm } from "../specForm";

interface SaveOutcome {
  errors: Record<string, string>;
  message: string | null;
}

/** POST or PUT the form; a 422 becomes errors beside the fields it names. */
async function saveSpec(specId: number | null, form: SpecForm): Promise<SaveOutcome | null> {
  const built = buildSpecInput(form);
  if (!built.ok) return { errors: built.errors, message: null };
  try {
    if (specId === null) await createSpec(built.input);
    else await updateSpec(specId, built.input);
    return null;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 422) return { errors: {}, message: errorMessage(e) };
    const mapped = mapFieldErrors(e.detail, EDITOR_FIELDS);
    const message = mapped.general.length > 0 ? mapped.general.join("; ") : "Some fields are not valid: see below.";
    return { errors: mapped.fields, message };
  }
}

export function SpecEditorPage() {
  const { id } = useParams();
  const specId = id === undefined ? null : Number(id);
  const navigate = useNavigate();
  const [form, setForm] = useState<SpecForm | null>(specId === null ? emptyForm() : null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (specId === null) return;
    getSpec(specId)
      .then((spec) => setForm(formFromSpec(spec)))
      .catch((e: unknown) => setMessage(errorMessage(e)));
  }, [specId]);

  if (form === null) {
    return message === null ? <p className="text-slate-400">Loading…</p> : <ErrorMessage message={message} />;
  }
  const set = (patch: Partial<SpecForm>) => setForm({ ...form, ...patch });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    setSaving(true);
    const outcome = await saveSpec(specId, form);
    setSaving(false);
    if (outcome === null) {
      navigate("/specs");
      return;
    }
    setErrors(outcome.errors);
    setMessage(outcome.message);
  };

  const sections = { form, set, errors };
  return (
    <main>
      <form className="space-y-4" onSubmit={(event) => void save(event)} noValidate>
        <div className="flex items-center justify-between">
          <h1 className="text-lg font-semibold">{specId === null ? "New spec" : `Edit spec #${specId}`}</h1>
          <div className="flex gap-2">
            <Link to="/specs" className={button}>
              Cancel
            </Link>
            <button type="submit" className={primaryButton} disabled={saving}>
              Save
            </button>
          </div>
        </div>
        <ErrorMessage message={message} onDismiss={() => setMessage(null)} />
        <RequestSection {...sections} />
        {form.kind === "request" && <BodySection {...sections} />}
        <ProfileSection {...sections} />
        <ThresholdsSection {...sections} />
      </form>
    </main>
  );
}
