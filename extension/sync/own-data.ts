/**
 * "Hent mine data": everything the server stores about the signed-in user, as the server makes it
 * (GET /api/me/export, docs/PROTOCOL.md "Own-data export"), read as bytes and handed on unparsed.
 */
import { HttpApi } from '@randnoter/shared/protocol/http-api';
import { ApiError, type ServerIdentity } from './server-api.ts';

export interface OwnDataFile {
  bytes: Uint8Array;
  fileName: string;
}

/** The name the server gives the file, or one like it when the header is missing. */
function fileNameOf(disposition: string | null, now: Date): string {
  const named = disposition ? /filename="([^"/\\]+)"/.exec(disposition)?.[1] : undefined;
  return named ?? `randnoter-mine-data-${now.toISOString().slice(0, 10)}.json`;
}

/** The file, or an ApiError (status 0: no answer; `foreign`: the answer was not a Randnoter server's). */
export async function fetchOwnData(identity: ServerIdentity, fetchFn: typeof fetch = fetch, now = new Date()): Promise<OwnDataFile> {
  let response: Response;
  try {
    response = await fetchFn(`${identity.serverUrl}${HttpApi.ownData.path}`, { headers: { authorization: `Bearer ${identity.token}` } });
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as { error?: unknown } | null;
    const foreign = payload === null || typeof payload !== 'object';
    throw new ApiError(response.status, typeof payload?.error === 'string' ? payload.error : `HTTP ${response.status}`, foreign);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A web page at the address answers 200 with HTML: that is not the user's data.
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json'))
    throw new ApiError(response.status, 'not a Randnoter answer', true);
  return { bytes, fileName: fileNameOf(response.headers.get('content-disposition'), now) };
}
