import { useEffect, useRef, useState } from "react";
import { ProblemAlert } from "../shared/problem-alert.tsx";
import { StatusMessage } from "./feedback.tsx";
import { ImpactCard } from "./impact-card.tsx";
import { NarrowingForm } from "./narrowing-form.tsx";
import { goToLine, PolicyText, ProblemList } from "./policy-text.tsx";
import { ProposeForm } from "./propose-form.tsx";
import { IMPACT, LIVE_POLICY, PROPOSE, SAVE_DRAFT } from "./queries.ts";
import { SimulateForm } from "./simulate-form.tsx";
import type { AgencyPolicy, Impact, PolicyVersion } from "./types.ts";
import { latest, useGovernance, useOperation, useQuery } from "./use-api.ts";
import { checkText, useValidation } from "./use-validation.ts";

/** A text to open in the editor: a rule's text, a version's, a simulation's starting point. */
export interface EditorSeed {
  readonly text: string;
  readonly label: string;
  /** Changes on every "open in editor", so opening the same text twice still replaces edits. */
  readonly nonce: number;
}

/** The agency's policy as YAML: edit, check, see the impact, simulate, save and propose. */
export function EditorPanel({ seed }: { seed: EditorSeed | undefined }) {
  const { officer, changed } = useGovernance();
  const live = useQuery<{ livePolicy: AgencyPolicy }>(LIVE_POLICY, undefined);
  const [text, setText] = useState<string | undefined>();
  const [source, setSource] = useState("");
  const [note, setNote] = useState("");
  const [draft, setDraft] = useState<PolicyVersion | undefined>();
  const [message, setMessage] = useState("");
  const textarea = useRef<HTMLTextAreaElement>(null);
  const check = useValidation(text);
  const impact = useOperation<{ impact: Impact }>(IMPACT);
  const save = useOperation<{ saveDraft: PolicyVersion }>(SAVE_DRAFT);
  const propose = useOperation<{ propose: PolicyVersion }>(PROPOSE);
  const livePolicy = latest(live)?.livePolicy;

  const load = (next: string, label: string) => {
    setText(next);
    setSource(label);
    setDraft(undefined);
    impact.reset();
    setMessage(`Loaded ${label}.`);
  };

  // Start from the policy in force, once, unless a version was opened from the history first.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !livePolicy) return;
    started.current = true;
    const version = livePolicy.version ? ` (version ${livePolicy.version.number})` : "";
    setText(livePolicy.text);
    setSource(`the policy in force${version}`);
  }, [livePolicy]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new seed (nonce) reloads
  useEffect(() => {
    if (!seed) return;
    started.current = true;
    load(seed.text, seed.label);
  }, [seed?.nonce]);

  const problems = check.status === "checked" ? check.problems : [];
  const goTo = (line: number) => {
    if (textarea.current) goToLine(textarea.current, line);
  };

  const saveDraft = async (): Promise<PolicyVersion | undefined> => {
    if (text === undefined) return undefined;
    if (draft && draft.text === text) return draft;
    const saved = await save.run({ text, note: note.trim() || null });
    if (!saved) return undefined;
    setDraft(saved.saveDraft);
    setMessage(`Saved as draft version ${saved.saveDraft.number}.`);
    changed();
    return saved.saveDraft;
  };

  const proposeText = async (reason: string): Promise<boolean> => {
    propose.reset();
    const version = await saveDraft();
    if (!version) return false;
    const proposed = await propose.run({ versionId: version.id, reason });
    if (!proposed) return false;
    setDraft(undefined);
    setMessage(
      `Proposed version ${proposed.propose.number} for approval. Another officer of ${officer.agencyTitle} must approve it; see Proposals and history.`,
    );
    changed();
    return true;
  };

  const busy = save.outcome.status === "running" || propose.outcome.status === "running";

  return (
    <section aria-labelledby="gov-editor-heading">
      <h2 id="gov-editor-heading">Rule editor: {officer.agencyTitle}</h2>
      <StatusMessage text={message} testId="editor-status" />
      <ProblemAlert
        title="Could not load the policy in force"
        problems={live.status === "error" ? live.problems : undefined}
      />
      {text === undefined ? (
        <StatusMessage text="Loading the policy in force…" />
      ) : (
        <>
          <div className="gov-toolbar">
            <p className="gov-source">
              Editing a copy of {source}. Nothing is in force until published.
            </p>
            <button
              type="button"
              className="gov-button"
              disabled={!livePolicy}
              onClick={() => livePolicy && load(livePolicy.text, "the policy in force")}
            >
              Start again from the policy in force
            </button>
          </div>
          <label htmlFor="gov-policy-text" className="gov-label">
            Policy YAML for {officer.agencyTitle}
          </label>
          <PolicyText
            ref={textarea}
            id="gov-policy-text"
            value={text}
            problems={problems}
            describedBy="gov-check-status gov-policy-problems"
            onChange={(next) => {
              setText(next);
              impact.reset();
            }}
          />
          <div id="gov-check-status" data-testid="validation-status">
            <StatusMessage text={checkText(check)} />
          </div>
          <ProblemAlert
            title="The text could not be checked"
            problems={check.status === "error" ? check.problems : undefined}
          />
          <ProblemList id="gov-policy-problems" problems={problems} onGoTo={goTo} />

          <div className="gov-toolbar">
            <div className="gov-field">
              <label htmlFor="gov-draft-note">Draft note (optional)</label>
              <input id="gov-draft-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <button type="button" className="gov-button" disabled={busy} onClick={saveDraft}>
              Save draft
            </button>
            <button
              type="button"
              className="gov-button"
              disabled={impact.outcome.status === "running"}
              onClick={() => impact.run({ text })}
            >
              Show impact
            </button>
          </div>
          <ProblemAlert
            title="Could not save the draft"
            problems={save.outcome.status === "error" ? save.outcome.problems : undefined}
          />

          <ImpactCard outcome={impact.outcome} onGoTo={goTo} />

          <SimulateForm roles={livePolicy?.matrix.roles ?? []} text={text} onGoTo={goTo} />

          <section className="gov-card" aria-label="Propose">
            <ProposeForm
              busy={busy}
              disabled={problems.length > 0}
              disabledReason={
                problems.length > 0 ? "Fix the problems listed above before proposing." : undefined
              }
              onPropose={proposeText}
            />
            <ProblemAlert
              title="Could not propose"
              problems={propose.outcome.status === "error" ? propose.outcome.problems : undefined}
            />
          </section>

          <section className="gov-card" aria-label="Emergency narrowing">
            <NarrowingForm
              text={text}
              disabled={problems.length > 0}
              onPublished={(version) => {
                setDraft(undefined);
                setMessage(
                  `Published version ${version.number} at once as an emergency narrowing. Another officer of ${officer.agencyTitle} must review it; see Proposals and history.`,
                );
              }}
            />
          </section>
        </>
      )}
    </section>
  );
}
