/**
 * GET /packets/:packetId/export?format=md|html|docx|csv|jsonld|overview-pdf[&group=ID…][&items=all][&lang=en]
 *
 * The Overblik of a packet from what the server holds: the caller's own notes (the room is taken
 * from the token, so no parameter can name another user's notes) and the shared comments of the
 * groups asked for (default: every group the caller is in). A group the caller is not a member of
 * answers 404, exactly like one that does not exist. The server has no copy of the PDF, so notes
 * stay where they were stored, and the annotated packet (`pdf`) is refused: the extension and
 * `randnoter export`, which have the PDF, make it. Title and agenda are the caller's view of the
 * packet (packet-view.ts): what they registered, never what another user did.
 */
import { FORMATS, parseExportFormat } from '@randnoter/shared/export/export-formats';
import { parseExportLanguage } from '@randnoter/shared/export/export-labels';
import type { ExportAnnotation } from '@randnoter/shared/export/overview-model';
import type { ExportFonts } from '@randnoter/shared/export/render-overview-pdf';
import { readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { isId, storageName } from '@randnoter/shared/protocol/rooms';
import { Hono } from 'hono';
import { packetView, roomCheck, sourceOf } from '../packets/packet-view.ts';
import { groupsOf } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';

export interface ExportDeps extends ApiDeps {
  /** The TrueType fonts the overview PDF embeds. */
  exportFonts: () => Promise<ExportFonts>;
}

const SERVER_FORMATS = Object.keys(FORMATS).filter((f) => f !== 'pdf');

export function exportRoutes(deps: ExportDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const live = (room: string) => deps.rooms.read(room, (doc) => readAnnotations(doc).filter((a) => !a.deleted));

  app.get('/packets/:packetId/export', async (c) => {
    const packetId = c.req.param('packetId');
    if (!isId(packetId)) return c.json(NOT_FOUND, 404);
    const user = c.get('user');
    const memberOf = await groupsOf(deps.db, user.id);
    const asked = c.req.queries('group') ?? [];
    // Membership first: a stranger learns nothing about a group's rooms, not even from a 400.
    const groups = asked.length === 0 ? memberOf : memberOf.filter((g) => asked.includes(g.id));
    if (asked.some((id) => !groups.some((g) => g.id === id))) return c.json(NOT_FOUND, 404);

    const format = parseExportFormat(c.req.query('format') ?? 'md');
    if (!format) return c.json({ error: `format must be one of ${SERVER_FORMATS.join(', ')}` }, 400);
    if (format === 'pdf') {
      return c.json({ error: 'the annotated packet needs the PDF: export it from the extension or with `randnoter export`' }, 400);
    }
    const language = parseExportLanguage(c.req.query('lang') ?? 'da');
    if (!language) return c.json({ error: 'lang must be da or en' }, 400);

    const notes = await live(storageName({ kind: 'notes', packetId }, user.id));
    const shared: ExportAnnotation[] = [];
    for (const group of groups) {
      const comments = await live(storageName({ kind: 'shared', groupId: group.id, packetId }, user.id));
      shared.push(...comments.map((a) => ({ ...a, group: { id: group.id, name: group.name } })));
    }
    // Title and agenda as the caller registered them: nobody else's registration shows here.
    const view = await packetView(deps.db, user.id, packetId, roomCheck(deps.docs, user.id, memberOf));
    const source = sourceOf(view, packetId);
    const outline = view.outline;
    // Loaded at the first export: the renderers (pdf-lib, fontkit) are megabytes of heap otherwise.
    const { exportPacket } = await import('@randnoter/shared/export/export-packet');
    const result = await exportPacket({
      format,
      title: view.title || packetId,
      notes,
      shared,
      ...(outline ? { outline } : {}),
      ...(FORMATS[format].needsFonts ? { fonts: await deps.exportFonts() } : {}),
      source,
      ...(source.startsWith('urn:x-pdf:') ? { packetVersion: source } : {}),
      collectionId: new URL(c.req.url).origin + c.req.path,
      language,
      includeEmptyItems: c.req.query('items') === 'all',
      now: deps.clock(),
    });
    return c.body(result.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': result.mediaType,
      'content-disposition': `attachment; filename="overblik-${packetId}.${result.extension}"`,
      'cache-control': 'no-store',
      // Belt and braces for the HTML export opened straight from the server: nothing in it may run or load.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    });
  });

  return app;
}
