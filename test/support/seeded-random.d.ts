/** mulberry32: a small seeded PRNG, so a failing seed (a kill point, a fuzz frame, an edit) can be replayed. */
export declare function seededRandom(seed: number): () => number;
