import { useEffect, useState } from "react";

/** The text after it has stopped changing for a moment: options follow the draft, not each key. */
export function useSettled(text: string, ms = 600): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}
