/**
 * The background's part in the in-place overlay: a viewer found in a frame of a tab gets its
 * sidebar in the tab's top frame. The background alone knows which frame spoke (the sender's
 * frame id, which a page cannot forge) and alone can speak to the top frame's script.
 */
import type { Browser } from 'wxt/browser';
import { type HostSidebar, type InPlaceFoundReply, isInPlaceFound } from '../messaging/inplace-messages.ts';

type Sender = Pick<Browser.runtime.MessageSender, 'id' | 'frameId'> & { tab?: { id?: number } };

/** The answer to a frame's "viewer found", or undefined when the message is not one (or not from our content script). */
export function answerInPlaceFound(
  message: unknown,
  sender: Sender,
  deps: { ownId: string; askTopFrame(tabId: number, request: HostSidebar): Promise<unknown> },
): Promise<InPlaceFoundReply> | undefined {
  const tabId = sender.tab?.id;
  const frameId = sender.frameId;
  if (!isInPlaceFound(message) || sender.id !== deps.ownId || tabId === undefined || frameId === undefined) return undefined;
  return deps.askTopFrame(tabId, { type: 'rn:pdf-host-sidebar', frameId }).then(
    (answer) => ({ hosted: answer === true, frameId }),
    () => ({ hosted: false, frameId }),
  );
}
