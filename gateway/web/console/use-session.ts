import type { GraphiQLProps } from "graphiql";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { SignInMethod } from "../shared/dev-sign-in.ts";
import { type SignInState, useSignIn, type Via } from "../shared/use-sign-in.ts";
import type { SignedInUser } from "../sign-in/id-token.ts";
import { type EnquiryList, fetchOpenEnquiries, GRAPHQL_ENDPOINT } from "./api.ts";
import { createFetcher, type Purpose, type RequestReport } from "./fetcher.ts";

/** Whoever signs in: the console shows who and what roles, and lets the gateway decide. */
export type ConsoleUser = SignedInUser;

export type EnquiryState =
  | EnquiryList
  | { readonly status: "idle" }
  | { readonly status: "loading" };

export interface ConsoleSession {
  readonly identity: SignInMethod;
  /**
   * The shared sign-in (picker or identity provider). Any sign-in, sign-out or change of user
   * clears the enquiry and the break-glass reason: they were one person's purpose, and the next
   * person states their own.
   */
  readonly signIn: SignInState<ConsoleUser>;
  readonly enquiries: EnquiryState;
  readonly enquiry: string;
  setEnquiry(id: string): void;
  readonly breakGlass: string;
  setBreakGlass(reason: string): void;
  /** Whether the gateway has accepted a token typed in the Headers editor (external identity). */
  readonly typedTokenAccepted: boolean;
  /** Changes only when the token does, so GraphiQL re-reads the schema after each sign-in. */
  readonly fetcher: GraphiQLProps["fetcher"];
  /** What became of the last request the user ran: its X-Request-Id, or why none was sent. */
  readonly lastRequest: RequestReport | undefined;
}

function consoleUserOf(via: Via): ConsoleUser {
  if (via.via === "development") {
    const { username, name, agency, roles } = via.user;
    return { id: username, name, agency, roles };
  }
  if (via.via === "provider") return via.user;
  // A typed token goes in the Headers editor, where the gateway, not the console, reads it.
  throw new Error("The console takes a typed token in the Headers editor");
}

const CHECKING = "Checking how this gateway signs people in; run the request again in a moment.";
const SIGN_IN_WITH_PROVIDER =
  "Not signed in. Press “Sign in” at the top of the page to sign in with your organisation's account.";
const SIGN_IN_FIRST =
  "Not signed in. Choose a user in “Sign in as” at the top of the page, or put " +
  '{ "Authorization": "Bearer <token>" } in the Headers editor.';

/**
 * Who the console acts as and for what purpose. Tokens live in React state only: never in
 * localStorage or sessionStorage, so closing the tab signs the user out. With an identity
 * provider (mode "oidc") the token is renewed in place: the fetcher and the enquiry list follow
 * the user, not each renewed token, so renewal re-reads neither the schema nor the list.
 */
export function useSession(): ConsoleSession {
  const [enquiries, setEnquiries] = useState<EnquiryState>({ status: "idle" });
  const [enquiry, setEnquiry] = useState("");
  const [breakGlass, setBreakGlass] = useState("");
  const [typedAuthorization, setTypedAuthorization] = useState<string | undefined>();
  const [lastRequest, setLastRequest] = useState<RequestReport | undefined>();
  // Outlives each sign-in's fetcher: the process walk changes user between its steps.
  const returnedIds = useRef(new Map<string, string>());

  // Read by the fetcher on every request: changing the purpose needs no new fetcher.
  const purposeRef = useRef<Purpose>({ enquiry, breakGlass });
  purposeRef.current = { enquiry, breakGlass };

  // Before anything else, so no request can go out as the new user with the old purpose.
  const forgetPurpose = useCallback(() => {
    setEnquiry("");
    setBreakGlass("");
    purposeRef.current = { enquiry: "", breakGlass: "" };
  }, []);
  const signIn = useSignIn<ConsoleUser>({
    redirectPath: GRAPHQL_ENDPOINT,
    accept: (_authorization, via) => consoleUserOf(via),
    idOf: (user) => user.id,
    onSwitch: forgetPurpose,
  });
  const identity = signIn.method;
  const { session } = signIn;

  // The picker's or the provider's token lists the enquiries; with an external identity provider
  // and no browser sign-in, the token the user typed in the Headers editor does, once the gateway
  // has accepted it.
  const pickedAuthorization = session.status === "signed-in" ? session.authorization : undefined;
  // Who the token is for: a renewed token for the same user keeps the fetcher and the list.
  const pickedKey = session.status === "signed-in" ? session.id : undefined;
  const authorizationRef = useRef(pickedAuthorization);
  authorizationRef.current = pickedAuthorization;
  // A token typed in the Headers editor counts unless the console signs people in itself.
  const typedCounts = identity.mode !== "development" && identity.mode !== "oidc";
  const listAuthorization = pickedAuthorization ?? (typedCounts ? typedAuthorization : undefined);
  const listRef = useRef(listAuthorization);
  listRef.current = listAuthorization;
  const listKey = pickedKey ?? (typedCounts ? typedAuthorization : undefined);
  useEffect(() => {
    const authorization = listRef.current;
    if (!listKey || !authorization) {
      setEnquiries({ status: "idle" });
      return;
    }
    const controller = new AbortController();
    setEnquiries({ status: "loading" });
    fetchOpenEnquiries(authorization, controller.signal).then((list) => {
      if (controller.signal.aborted) return;
      setEnquiries(list);
      // Keep the chosen enquiry only if this user can see it too.
      const visible = list.status === "ready" ? list.enquiries.map((item) => item.id) : [];
      setEnquiry((current) => (visible.includes(current) ? current : ""));
    });
    return () => controller.abort();
  }, [listKey]);

  const mode = identity.mode;
  // With an external identity provider, a newly accepted typed token also makes a new fetcher,
  // so GraphiQL re-reads the schema it could not read before the user pasted their token.
  const acceptedTypedAuthorization = typedCounts ? typedAuthorization : undefined;
  const fetcher = useMemo(
    () =>
      createFetcher({
        // Read on every request: the provider's token is renewed under the same fetcher.
        get authorization() {
          return pickedKey === undefined ? undefined : authorizationRef.current;
        },
        purpose: () => purposeRef.current,
        signInFirst:
          mode === "checking"
            ? CHECKING
            : mode === "development"
              ? SIGN_IN_FIRST
              : mode === "oidc"
                ? SIGN_IN_WITH_PROVIDER
                : undefined,
        onTypedAuthorization: typedCounts ? setTypedAuthorization : undefined,
        typedAuthorization: acceptedTypedAuthorization,
        onReport: setLastRequest,
        returnedIds: returnedIds.current,
      }),
    [mode, typedCounts, pickedKey, acceptedTypedAuthorization],
  );

  return {
    identity,
    signIn,
    enquiries,
    enquiry,
    setEnquiry,
    breakGlass,
    setBreakGlass,
    typedTokenAccepted: acceptedTypedAuthorization !== undefined,
    fetcher,
    lastRequest,
  };
}
