import type { HostAnalysis } from './host-analysis.js';

/** An ArrayBuffer that holds exactly `b`'s bytes and nothing else (a pooled Buffer is copied), to transfer. */
export function ownBuffer(b: Uint8Array): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
  return new Uint8Array(b).buffer;
}

/** A host's analysis as a worker posts it: the pivot index's bytes transferred, not copied. */
export function toMessage(a: HostAnalysis): { value: HostAnalysis; transfer: ArrayBuffer[] } {
  if (!a.index) return { value: a, transfer: [] };
  const z = ownBuffer(a.index.z);
  return { value: { ...a, index: { z: Buffer.from(z) } }, transfer: [z] };
}

/** The analysis as the main thread gets it back: the index a Buffer again. */
export function fromMessage(a: HostAnalysis): HostAnalysis {
  if (!a.index) return a;
  const z = a.index.z as Uint8Array;
  return { ...a, index: { z: Buffer.from(z.buffer, z.byteOffset, z.byteLength) } };
}
