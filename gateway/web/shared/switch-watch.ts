/**
 * When an app must forget one person's work (a purpose, an open page): once per change of who
 * is signed in, whether the person acted (chose another user, signed out) or not (an expiry).
 */
export class SwitchWatch {
  #seen = "";
  readonly #onSwitch: (previous: string) => void;

  constructor(onSwitch: (previous: string) => void) {
    this.#onSwitch = onSwitch;
  }

  /** The person acts to change who is signed in: a switch from whoever was, before it starts. */
  acted(): void {
    const previous = this.#seen;
    this.#seen = "";
    this.#onSwitch(previous);
  }

  /** Who is signed in now ("" for no one): a switch if someone was, and it is not them. */
  saw(id: string): void {
    const previous = this.#seen;
    this.#seen = id;
    if (previous && previous !== id) this.#onSwitch(previous);
  }
}
