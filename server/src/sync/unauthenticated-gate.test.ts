import { describe, expect, it } from 'vitest';
import { UnauthenticatedGate } from './unauthenticated-gate.ts';

describe('UnauthenticatedGate', () => {
  it('refuses an address past its share while other addresses still get in', () => {
    const gate = new UnauthenticatedGate(10, 2);
    expect(gate.enter('10.0.0.1')).not.toBeNull();
    expect(gate.enter('10.0.0.1')).not.toBeNull();
    expect(gate.enter('10.0.0.1')).toBeNull();
    expect(gate.enter('10.0.0.2')).not.toBeNull();
    expect(gate.size).toBe(3);
  });

  it('refuses everyone past the overall cap', () => {
    const gate = new UnauthenticatedGate(3, 2);
    for (const address of ['a', 'b', 'c']) expect(gate.enter(address)).not.toBeNull();
    expect(gate.enter('d')).toBeNull();
  });

  it('gives a place back once, however often it is released', () => {
    const gate = new UnauthenticatedGate(2, 2);
    const release = gate.enter('a');
    gate.enter('a');
    release?.();
    release?.();
    expect(gate.size).toBe(1);
    expect(gate.enter('a')).not.toBeNull();
    expect(gate.enter('a')).toBeNull();
  });
});
