import type { DevUser } from "./dev-sign-in.ts";
import type { Session } from "./sign-in-session.ts";
import type { SignInState } from "./use-sign-in.ts";

/**
 * Sign-in through the organisation's identity provider: one button. "Sign out" once someone is
 * signed in, and also when the app refused them: signing in again would only loop back.
 */
export function ProviderButton<U>({
  signIn,
  className,
}: {
  signIn: Pick<SignInState<U>, "signIn" | "signOut"> & { readonly session: Session<U> };
  className?: string;
}) {
  const { status } = signIn.session;
  const signedIn = status === "signed-in" || status === "refused";
  return (
    <button
      type="button"
      className={className}
      disabled={status === "working"}
      onClick={signedIn ? signIn.signOut : signIn.signIn}
    >
      {signedIn ? "Sign out" : "Sign in"}
    </button>
  );
}

/** The development picker: choosing a user signs in as them at once, "none" signs out. */
export function UserPicker({
  id,
  users,
  chosen,
  choose,
  none,
  label,
}: {
  id: string;
  users: readonly DevUser[];
  chosen: string;
  choose(username: string): void;
  /** The words of the empty choice, which signs out. */
  none: string;
  label(user: DevUser): string;
}) {
  return (
    <>
      <label htmlFor={id}>Sign in as</label>{" "}
      <select id={id} value={chosen} onChange={(event) => choose(event.currentTarget.value)}>
        <option value="">{none}</option>
        {users.map((user) => (
          <option key={user.username} value={user.username}>
            {label(user)}
          </option>
        ))}
      </select>
    </>
  );
}

export const DEVELOPMENT_NOTICE = "Development sign-in: synthetic data only";
