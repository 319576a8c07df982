/** A YAML scalar: plain when that reads the same in block and flow context, else double-quoted. */
export function q(s: string): string {
  const plain =
    /^[A-Za-z][A-Za-z0-9 _.;()/'-]*$/.test(s) &&
    !s.endsWith(" ") &&
    !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}
