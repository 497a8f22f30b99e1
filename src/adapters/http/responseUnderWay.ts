import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** The response Node has under way on a connection, which it keeps on the socket (not in its typings). */
export const responseUnderWay = (socket: Duplex): ServerResponse | undefined => {
  const response = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  return response === null || response === undefined || response.writableFinished ? undefined : response;
};
