/**
 * What the annotator needs from the document being annotated. The PDF viewer (pdf.js, in the
 * same page) and HTML agenda pages (the host page, reached from the sidebar frame by messaging)
 * both provide it, so one controller serves both.
 */
import type { Hash64 } from '@randnoter/shared/anchoring/page-fingerprint';
import type { PacketText } from '@randnoter/shared/anchoring/page-text';
import type { Target } from '@randnoter/shared/model/annotation';
import type { Mark } from '../pdf/highlights.ts';

export type WriteKind = 'note' | 'comment';

export interface DocumentSurface {
  readonly text: PacketText;
  /**
   * Image prints of the pages without enough text (null for the others), for finding a scan's
   * notes in another version; absent where pages are not images (HTML pages).
   */
  readonly pageImages?: () => Promise<ReadonlyArray<Hash64 | null>>;
  /** Offsets of the user's current text selection, if any. */
  selection(): Promise<{ start: number; end: number } | null>;
  clearSelection(): void;
  /** Draws these highlights (replacing earlier ones). */
  showMarks(marks: readonly Mark[]): void;
  /** Brings a place into view. */
  reveal(place: { page: number; start: number | null }): void;
  currentPage(): number;
  /** Whether "Del kommentar" can be offered next to a selection. */
  setCanShare(canShare: boolean): void;
  /** The user asked to annotate: the selection (target null) or a place the surface chose (a drawn region). */
  onWrite(listener: (kind: WriteKind, target: Target | null) => void): () => void;
  /** The user clicked a highlight. */
  onMarkClicked(listener: (id: string) => void): () => void;
  /** The document was (re)drawn, e.g. a page appeared: highlights may need drawing. */
  onRendered(listener: () => void): () => void;
  destroy(): void;
}
