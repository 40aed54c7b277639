// The app's WebAssembly SIMD kernels (the decode loop's argmax, the Pillow
// resize, the model builder's conversions) are instantiated the same way:
// one instance per thread, null where the engine lacks WebAssembly or its
// SIMD (each caller then keeps its plain JavaScript), memory grown to fit.
// Pure: WebAssembly is a language global, not a Node API.

// The Node typings in use here do not declare the WebAssembly constructors; these are the parts used.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** The module's exports, or null where it cannot be instantiated here (no WebAssembly, or no SIMD). */
export function instantiateWasm(bytes: Uint8Array): Record<string, unknown> | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  try {
    return new api.Instance(new api.Module(bytes)).exports;
  } catch {
    // The module does not validate here (its SIMD instructions): the caller keeps its plain code.
    return null;
  }
}

/** Grows `memory` to at least `bytes` bytes (whole 64 KiB pages); views of it made before are detached when it grows. */
export function growWasmMemory(memory: WasmMemory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}
