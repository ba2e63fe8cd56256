/**
 * CORS for the browser extension's own pages. The extension no longer holds access to every
 * website (docs/DEPLOYMENT.md, "The extension's permissions"), so its pages reach this server as
 * any other origin would: the browser asks first (a preflight, for the Authorization header) and
 * shows them an answer only if it names their origin.
 *
 * Only extension origins are named: `chrome-extension://<id>` (Chrome, Edge) and
 * `moz-extension://<uuid>` (Firefox, a different uuid on every installation, so no list of ids
 * could name them). Web pages get no CORS headers. No cookies are involved: every call carries its
 * bearer token, so an origin can do with an answer only what the token it holds allows.
 */
import { cors } from 'hono/cors';

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]{1,64}$/;

/** The origin to name in Access-Control-Allow-Origin, or null (no CORS headers) for anything else. */
function extensionOrigin(origin: string): string | null {
  return EXTENSION_ORIGIN.test(origin) ? origin : null;
}

export const extensionCors = () =>
  cors({
    origin: extensionOrigin,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type'],
    // Content-Disposition names an export's file; Retry-After says when to ask again.
    exposeHeaders: ['Content-Disposition', 'Retry-After'],
    maxAge: 600,
  });
