/**
 * The Randnoter sidebar beside a portal's viewer: an extension page in a frame, inside a closed
 * shadow root of the tab's top document, so the page sees the frame element and the room it
 * takes, never its document. The frame is told which frame of the tab holds the viewer.
 */

const WIDTH = 380;

const STYLE = `
:host { all: initial; }
.frame { position: fixed; top: 0; right: 0; width: ${WIDTH}px; height: 100vh; border: 0; border-left: 1px solid #c8ccd2; background: #f6f7f9; z-index: 2147483647; box-shadow: -2px 0 8px rgb(0 0 0 / 0.12); }
.frame[hidden] { display: none; }
`;

export interface SidebarFrame {
  setOpen(open: boolean): void;
  readonly open: boolean;
  destroy(): void;
}

export function mountSidebarFrame(frameUrl: string, title: string): SidebarFrame {
  const host = document.createElement('randnoter-pdf-sidebar');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const frame = document.createElement('iframe');
  frame.className = 'frame';
  frame.src = frameUrl;
  frame.title = title;
  root.append(style, frame);
  document.documentElement.append(host);
  const originalMargin = document.documentElement.style.marginRight;
  const setOpen = (open: boolean) => {
    frame.hidden = !open;
    document.documentElement.style.marginRight = open ? `${WIDTH}px` : originalMargin;
  };
  setOpen(true);
  return {
    setOpen,
    get open() {
      return !frame.hidden;
    },
    destroy() {
      document.documentElement.style.marginRight = originalMargin;
      host.remove();
    },
  };
}
