/** A `ws` WebSocket, open (rejects when the server does not upgrade it). */
import { WebSocket } from 'ws';

export function openWebSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => reject(new Error('not upgraded')));
  });
}

/**
 * Opens a socket (sending `firstFrame` once open, e.g. an auth message) and resolves with the code
 * the server closes it with; a socket the server accepts instead (it sends a message) is closed
 * by us with 1000.
 */
export function closeCodeOf(url: string, firstFrame?: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      if (firstFrame) ws.send(firstFrame);
    });
    ws.on('message', () => ws.close(1000));
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => {});
  });
}
