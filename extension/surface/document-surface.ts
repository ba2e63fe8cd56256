/**
 * What the annotator needs from the document being annotated. The PDF viewer (pdf.js, in the
 * same page) and HTML agenda pages (the host page, reached from the sidebar frame by messaging)
 * both provide it, so one controller serves both. It sits below the annotator, pdf/ and html/
 * (docs/ARCHITECTURE.md, "Folder rules"): the surfaces implement it without knowing the annotator.
 */
import type { Hash64 } from '@randnoter/shared/anchoring/page-fingerprint';
import type { Target } from '@randnoter/shared/model/annotation';
import type { PacketText } from '@randnoter/shared/text/page-text';
import type { ObservableV2 } from 'lib0/observable';

export type WriteKind = 'note' | 'comment';

/** A highlight to draw: a stretch of the packet's text, or a rectangle on a page. */
export interface Mark {
  id: string;
  start: number;
  end: number;
  /** A rectangle note (scanned pages, figures): drawn as a box instead of following text. */
  region?: { page: number; x: number; y: number; w: number; h: number };
  /** CSS class suffix: `note` or `comment`. */
  kind: string;
  /** The note's own colour (utils/note-colours.ts), when it has one. */
  color?: string | null;
  focused?: boolean;
}

/** What a surface tells the annotator (lib0/observable: `surface.events.on('write', …)`). */
export type SurfaceEvents = {
  /** The user asked to annotate: the selection (target null) or a place the surface chose (a drawn region). */
  write: (kind: WriteKind, target: Target | null) => void;
  /** The user clicked a highlight. */
  markClicked: (id: string) => void;
  /** The document was (re)drawn, e.g. a page appeared: highlights may need drawing. */
  rendered: () => void;
};

export interface DocumentSurface {
  readonly text: PacketText;
  readonly events: ObservableV2<SurfaceEvents>;
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
  destroy(): void;
}
