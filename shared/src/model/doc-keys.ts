/**
 * The one place that names the top-level keys of a Randnoter Y.Doc.
 * Every room (private notes or a group's shared comments) uses the same schema.
 */
export const DocKey = {
  /** Y.Map<id, Y.Map<field, value>>: one entry per annotation, tombstoned rather than removed. */
  annotations: 'annotations',
  /** Y.Map: title, meeting date, known versions and agenda outline of the packet. */
  packet: 'packet',
  /**
   * Y.Map with one field, `correction`: a correction of the packet's agenda (agenda/correction.ts)
   * as one plain value, replaced whole (two halves of different corrections never mix), or null.
   * The user's own in the notes room; the group's in a shared room, written by the server.
   */
  agenda: 'agenda',
} as const;

export type DocKey = (typeof DocKey)[keyof typeof DocKey];

/** Field names inside one annotation's Y.Map. Set one by one so concurrent edits of different fields merge. */
export const AnnotationField = {
  id: 'id',
  kind: 'kind',
  replyTo: 'replyTo',
  author: 'author',
  created: 'created',
  modified: 'modified',
  body: 'body',
  color: 'color',
  tags: 'tags',
  resolved: 'resolved',
  /** Who resolved it ({id, name}) and when (ISO): set with `resolved`, null once reopened. */
  resolvedBy: 'resolvedBy',
  resolvedAt: 'resolvedAt',
  deleted: 'deleted',
  target: 'target',
  /** User ids a shared comment mentions (a plain array), set by the server; absent when none. */
  mentions: 'mentions',
} as const;

export type AnnotationField = (typeof AnnotationField)[keyof typeof AnnotationField];

/** Field names inside the `agenda` Y.Map. */
export const AgendaField = {
  correction: 'correction',
} as const;
