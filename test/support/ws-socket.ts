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
