/** A polite live region: progress and results are read out without moving focus. */
export function StatusMessage({ text, testId }: { text: string; testId?: string }) {
  return (
    <p className="gov-status" role="status" aria-live="polite" data-testid={testId}>
      {text}
    </p>
  );
}
