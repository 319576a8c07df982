/**
 * Only what GraphiQL needs: inline styles (CodeMirror, Radix) and data: fonts and images. The
 * governance console gets the same policy: it needs less, but one policy is one thing to review.
 */
export function contentSecurityPolicy(identityProviderOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    // Sign-in renews with fetch() to the provider's token endpoint, so no frame-src is needed.
    identityProviderOrigin ? `connect-src 'self' ${identityProviderOrigin}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
