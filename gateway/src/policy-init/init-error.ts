/** The input cannot make a policy folder; `flag` names the option at fault, if one is. */
export class InitError extends Error {
  constructor(
    message: string,
    readonly flag?: string,
  ) {
    super(message);
    this.name = "InitError";
  }
}
