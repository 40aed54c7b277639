// The renderer's Content-Security-Policy, shared by the app (egm-app:// responses)
// and the e2e harness (its HTTP responses), so e2e runs under the same policy.
// No 'electron' import: the harness loads this under plain Node.

/** imageSource: where project images come from ('egm-image:' in the app, 'self' over HTTP). */
export function contentSecurityPolicy(imageSource: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React and Konva set style attributes.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' ${imageSource} data: blob:`,
    `connect-src 'self' ${imageSource}`,
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
