/**
 * A global ID of the gateway: opaque. The brand keeps it from being mixed with other
 * strings, so an ID sent back to the server is one the server gave, or one read back
 * with `parseId` from where the app kept it (a URL, storage).
 */
export type Id = string & { readonly __brand: 'GatewayId' };

/**
 * An ID the app kept as text (`/invoices/:id` in a URL, local storage) back as an `Id`;
 * `null` when it cannot be one of the gateway's (a row number, a typo), so a screen can
 * show "not found" without asking the server.
 */
export function parseId(text: string | null | undefined): Id | null {
  if (!text || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const kind = kindOf(text as Id);
  return kind ? (text as Id) : null;
}

/** The kind of object an ID names (`Invoice`, `Client`...), or null when it is not an ID. */
export function kindOf(id: Id): string | null {
  try {
    const base64 = id.replace(/-/g, '+').replace(/_/g, '/');
    const decoded = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    // A transaction computed from its recurring series has a negative number.
    const match = /^([A-Za-z]+):-?\d+$/.exec(decoded);
    return match ? (match[1] ?? null) : null;
  } catch {
    return null;
  }
}
