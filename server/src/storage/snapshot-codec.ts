/**
 * How a room's snapshot is kept in `doc_snapshots`: Brotli-compressed, with the encoding named
 * in its row (`encoding`) and the Yjs state's own size beside it (`size`). Yjs states repeat
 * themselves (every entry's keys, ids of one client, the schema's words): a 10,000-comment room
 * of the benchmark, 4.5 MiB, is stored in 0.3 MiB; realistic notes compress 8-10 times.
 * Quality 4 of 11: compressing 4.5 MiB takes about 40 ms and reading it back about 10 ms here,
 * both in libuv's thread pool, off the event loop (quality 1 stored realistic notes a third
 * bigger; 5 and up took 2-100 times longer to compress for a few percent). zstd reads back twice
 * as fast, but Node's zstd is still experimental. A state that does not get smaller (an empty
 * room) is kept as is.
 */
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';

export const SnapshotEncoding = {
  /** A Yjs v1 update, as is (every snapshot before migration 0005). */
  yjs: 'yjs',
  yjsBrotli: 'yjs-brotli',
} as const;
export type SnapshotEncoding = (typeof SnapshotEncoding)[keyof typeof SnapshotEncoding];

export interface EncodedSnapshot {
  data: Uint8Array;
  encoding: SnapshotEncoding;
  /** Bytes of the Yjs state. */
  size: number;
}

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);
const QUALITY = 4;
/** Each chunk is one trip to the thread pool and back: with zlib's 16 KiB, reading 4.5 MiB back took 30 ms instead of 10. */
const CHUNK_BYTES = 256 * 1024;

export async function encodeSnapshot(state: Uint8Array): Promise<EncodedSnapshot> {
  const compressed = await compress(state, {
    chunkSize: CHUNK_BYTES,
    params: {
      [constants.BROTLI_PARAM_QUALITY]: QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: state.byteLength,
    },
  });
  return compressed.byteLength < state.byteLength
    ? {
        data: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength),
        encoding: SnapshotEncoding.yjsBrotli,
        size: state.byteLength,
      }
    : { data: state, encoding: SnapshotEncoding.yjs, size: state.byteLength };
}

/** The Yjs state of a stored snapshot row; `size` null: a row from before migration 0005. */
export async function decodeSnapshot(room: string, row: { data: Uint8Array; encoding: string; size: number | null }): Promise<Uint8Array> {
  if (row.encoding === SnapshotEncoding.yjs) return row.data;
  if (row.encoding !== SnapshotEncoding.yjsBrotli) throw new Error(`snapshot of room ${room}: unknown encoding ${row.encoding}`);
  let state: Buffer;
  try {
    state = await decompress(row.data, {
      chunkSize: CHUNK_BYTES,
      ...(row.size === null ? {} : { maxOutputLength: Math.max(1, row.size) }),
    });
  } catch (error) {
    throw new Error(`snapshot of room ${room} cannot be decompressed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (row.size !== null && state.byteLength !== row.size) {
    throw new Error(`snapshot of room ${room}: ${state.byteLength} bytes decompressed, ${row.size} stored`);
  }
  return new Uint8Array(state.buffer, state.byteOffset, state.byteLength);
}
