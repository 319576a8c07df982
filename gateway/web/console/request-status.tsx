import { useRef, useState } from "react";
import type { RequestReport } from "./fetcher.ts";
import { describeRequest } from "./request-report.ts";

type Copy = "idle" | "copied" | "selected";

/** Selects the id's text so Ctrl-C copies it: for when the browser gives no clipboard access. */
function selectText(element: HTMLElement | null): boolean {
  const selection = element ? window.getSelection() : null;
  if (!element || !selection) return false;
  selection.selectAllChildren(element);
  return true;
}

/**
 * The X-Request-Id of the last request the user ran, which the gateway logs and support asks
 * for. A polite live region, so a screen reader announces each new answer's id without taking
 * focus from the editor; the copy button says in words what it did.
 */
export function RequestStatus({ report }: { report: RequestReport | undefined }) {
  const line = describeRequest(report);
  const { requestId } = line;
  // Kept with the id it was for, so the next request's id never reads as already copied.
  const [copied, setCopied] = useState<{ readonly id: string; readonly copy: Copy }>();
  const copy = copied && copied.id === requestId ? copied.copy : "idle";
  const setCopy = (next: Copy) => requestId && setCopied({ id: requestId, copy: next });
  const idElement = useRef<HTMLElement>(null);

  const copyId = async () => {
    if (!requestId) return;
    try {
      // Absent outside a secure context (a gateway reached by plain http on another host).
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(requestId);
      setCopy("copied");
    } catch {
      setCopy(selectText(idElement.current) ? "selected" : "idle");
    }
  };

  return (
    <div className="mash-console-request">
      <p
        id="mash-request-status"
        className="mash-console-request-line"
        role="status"
        aria-live="polite"
      >
        {line.lead}
        {requestId ? (
          <code ref={idElement} className="mash-console-request-id">
            {requestId}
          </code>
        ) : null}
        {line.detail}
      </p>
      {requestId ? (
        <button
          type="button"
          className="mash-console-copy"
          onClick={copyId}
          aria-describedby="mash-request-status"
        >
          Copy request id
        </button>
      ) : null}
      <span className="mash-console-hint" role="status">
        {copy === "copied"
          ? "Copied."
          : copy === "selected"
            ? "Selected: press Ctrl-C to copy it."
            : ""}
      </span>
    </div>
  );
}
