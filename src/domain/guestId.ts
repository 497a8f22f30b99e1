/** A guest is known by a UUID; anything else a client claims is not a guest id. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuestId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
