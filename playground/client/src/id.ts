/**
 * A global ID of the gateway: opaque. The brand keeps it from being mixed with other
 * strings, so an ID sent back to the server can only be one the server gave.
 */
export type Id = string & { readonly __brand: 'GatewayId' };
