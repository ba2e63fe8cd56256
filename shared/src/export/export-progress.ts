/**
 * Progress of a long export, for the extension's progress bar. A callback may return a promise:
 * the exporter awaits it, which lets a browser page paint between chunks of work.
 */
export const ExportStage = {
  /** Finding each note in the packet's text. */
  anchoring: 'anchoring',
  /** Adding highlight annotations to the packet's pages. */
  highlights: 'highlights',
  /** Laying out the overview. */
  layout: 'layout',
  /** Writing the file. */
  saving: 'saving',
} as const;
export type ExportStage = (typeof ExportStage)[keyof typeof ExportStage];

export type ExportProgress = (stage: ExportStage, done: number, total: number) => void | Promise<void>;
