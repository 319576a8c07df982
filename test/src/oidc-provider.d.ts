/**
 * The little of oidc-provider (9.x) that identity-provider.ts uses. The package ships no types and
 * @types/oidc-provider is not installed; this says what the test relies on, no more.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  /** An access, refresh or other token as extraTokenClaims is handed it. */
  export interface Token {
    readonly kind: string;
    readonly accountId?: string;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(
      event: string,
      listener: (ctx: { oidc: { params?: Record<string, unknown> } }) => void,
    ): void;
  }
}
