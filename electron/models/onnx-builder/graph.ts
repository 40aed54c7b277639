// A small builder for one ONNX graph: nodes get generated names, constants are
// written inline (deduplicated), weights go to the graph's .onnx_data file
// (computed ones at once, checkpoint tensors into reserved spans).
// The model files are graph.onnx (structure) + graph.onnx_data (weights), the
// transformers.js layout with one external data chunk per graph.
import { writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { externalTensor, inlineTensor, modelProto, nodeProto, valueInfo, type AttributeValue, type DataType, type ProtoWriter } from './onnx-proto';
import { WeightsFile } from './weights-file';
import type { Span } from './tensor-jobs';

export const MS_DOMAIN = 'com.microsoft';

export class Graph {
  private readonly nodes: ProtoWriter[] = [];
  private readonly initializers: ProtoWriter[] = [];
  private readonly inputs: ProtoWriter[] = [];
  private readonly outputs: ProtoWriter[] = [];
  private readonly constants = new Map<string, string>();
  private readonly names = new Set<string>();
  private counter = 0;
  private usesMs = false;
  readonly weights: WeightsFile;

  constructor(
    readonly name: string,
    private readonly onnxPath: string,
  ) {
    this.weights = new WeightsFile(`${onnxPath}_data`);
  }

  input(name: string, type: DataType, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: DataType, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A new value name, for nodes whose outputs are named by the caller (some left empty). */
  valueName(hint: string): string {
    return this.fresh(hint);
  }

  private fresh(hint: string): string {
    let name = `${hint}_${this.counter++}`;
    while (this.names.has(name)) name = `${hint}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  /** One node; returns its outputs (named `out` when given, else generated). */
  node(op: string, inputs: string[], attrs: Record<string, AttributeValue> = {}, options: { outputs?: number; out?: string[]; domain?: string } = {}): string[] {
    const outs = options.out ?? Array.from({ length: options.outputs ?? 1 }, () => this.fresh(op.toLowerCase()));
    if (options.domain === MS_DOMAIN) this.usesMs = true;
    this.nodes.push(nodeProto(op, inputs, outs, this.fresh(`n_${op}`), attrs, options.domain));
    return outs;
  }

  /** One node with one output. */
  op(op: string, inputs: string[], attrs: Record<string, AttributeValue> = {}, out?: string, domain?: string): string {
    return this.node(op, inputs, attrs, { ...(out ? { out: [out] } : {}), ...(domain ? { domain } : {}) })[0]!;
  }

  private constant(type: DataType, dims: number[], raw: Uint8Array, key: string): string {
    const found = this.constants.get(key);
    if (found) return found;
    const name = this.fresh('const');
    this.initializers.push(inlineTensor(name, type, dims, raw));
    this.constants.set(key, name);
    return name;
  }

  /** int64 constant: a 1-D list, or a scalar with `scalar`. */
  i64(values: number[], scalar = false): string {
    const dims = scalar ? [] : [values.length];
    return this.constant('int64', dims, new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer), `i64:${dims.length}:${values.join(',')}`);
  }

  /** float32 constant (scalar with `scalar`, else 1-D). */
  f32(values: number[], scalar = false, dims?: number[]): string {
    const shape = dims ?? (scalar ? [] : [values.length]);
    return this.constant('float', shape, new Uint8Array(Float32Array.from(values).buffer), `f32:${shape.join('x')}:${values.join(',')}`);
  }

  /** A weight: its bytes appended to the .onnx_data file now. */
  weight(name: string, type: DataType, dims: number[], bytes: Uint8Array): string {
    this.claim(name);
    const span = this.weights.append(bytes);
    this.initializers.push(externalTensor(name, type, dims, basename(this.weights.path), span.offset, span.length));
    return name;
  }

  /**
   * A weight whose `length` bytes a conversion job writes later (tensor-jobs.ts):
   * its span in the .onnx_data file, reserved now, so the layout is fixed by
   * the order the graph asks for weights, whatever order the jobs run in.
   */
  reserveWeight(name: string, type: DataType, dims: number[], length: number): Span {
    this.claim(name);
    const span = this.weights.reserve(length);
    this.initializers.push(externalTensor(name, type, dims, basename(this.weights.path), span.offset, span.length));
    return { path: this.weights.path, offset: span.offset, length };
  }

  /**
   * A weight whose bytes another graph of the same folder already has in its
   * own .onnx_data file (`span`): this graph's initializer points into that
   * file, so the bytes are written, flushed and hashed once. onnxruntime
   * resolves an external data location against the graph's folder, which
   * is the same for every graph of a build (the onnx/ folder).
   */
  referenceWeight(name: string, type: DataType, dims: number[], span: Span): string {
    if (dirname(span.path) !== dirname(this.weights.path)) throw new Error(`graph ${this.name}: weight ${name} lies outside its folder (${span.path})`);
    this.claim(name);
    this.initializers.push(externalTensor(name, type, dims, basename(span.path), span.offset, span.length));
    return name;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`graph ${this.name}: weight ${name} written twice`);
    this.names.add(name);
  }

  /** Writes graph.onnx and flushes and closes the weights file; call once every job writing into it has finished. */
  async save(producer: string): Promise<void> {
    const opsets: Record<string, number> = { '': 17 };
    if (this.usesMs) opsets[MS_DOMAIN] = 1;
    writeFileSync(this.onnxPath, modelProto({ name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs, opsets, producer }));
    await this.weights.close();
  }
}
