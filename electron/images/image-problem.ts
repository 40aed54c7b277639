// An image file that cannot be used, with a one-line reason naming it. In a
// file of its own (re-exported by probe.ts) so code that must not load sharp
// (the local engine's image worker) can throw and recognise it.
export class ImageProblem extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'ImageProblem';
  }
}
