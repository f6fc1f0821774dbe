import onnxProto from 'onnx-proto';
import type { Rng } from '../../util/random.js';

const { onnx } = onnxProto;

export type Attribute = { i: number } | { f: number } | { ints: number[] };

const DataType = onnx.TensorProto.DataType;

type ValueInfo = { name: string; elemType: number; shape: Array<number | string> };

/** Trained tensors by initializer name, used instead of random or constant ones (the exported model's weights). */
export type PresetWeights = Record<string, Float32Array>;

/**
 * Builds an ONNX graph node by node; names are generated, initializers carry raw little-endian bytes.
 * A weight named in `preset` takes its value from there; every preset tensor must be used (`unusedPresets`).
 */
export class GraphBuilder {
  private readonly nodes: ReturnType<typeof onnx.NodeProto.create>[] = [];
  private readonly initializers: ReturnType<typeof onnx.TensorProto.create>[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private counter = 0;
  private readonly usedPresets = new Set<string>();

  constructor(
    readonly rng: Rng,
    private readonly preset: PresetWeights = {},
  ) {}

  /** The preset tensor of a weight, checked against the shape the graph needs. */
  private presetFor(name: string, dims: number[]): Float32Array | undefined {
    const data = this.preset[name];
    if (!data) return undefined;
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`weight ${name} has ${data.length} values; the graph needs [${dims.join(', ')}] (${size})`);
    this.usedPresets.add(name);
    return data;
  }

  /** Preset tensors no weight of the graph took (a misnamed or surplus tensor). */
  unusedPresets(): string[] {
    return Object.keys(this.preset).filter((name) => !this.usedPresets.has(name));
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, elemType: 'float' | 'int64', shape: Array<number | string>): string {
    this.inputs.push({ name, elemType: elemType === 'float' ? DataType.FLOAT : DataType.INT64, shape });
    return name;
  }

  output(name: string, from: string, shape: Array<number | string>): void {
    this.op('Identity', [from], {}, name);
    this.outputs.push({ name, elemType: DataType.FLOAT, shape });
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push(onnx.TensorProto.create({ name, dims, dataType: DataType.FLOAT, rawData: bytes }));
    return name;
  }

  ints(name: string, values: number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    const bytes = new Uint8Array(data.buffer);
    this.initializers.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: DataType.INT64, rawData: bytes }));
    return name;
  }

  /** A weight tensor: the preset one, else drawn from N(0, std²). */
  random(name: string, dims: number[], std: number): string {
    const given = this.presetFor(name, dims);
    if (given) return this.floats(name, dims, given);
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = this.rng.normal() * std;
    return this.floats(name, dims, data);
  }

  /** A tensor filled with `value`, unless a preset tensor of that name is given (LayerNorm and bias weights). */
  constant(name: string, dims: number[], value: number): string {
    const given = this.presetFor(name, dims);
    if (given) return this.floats(name, dims, given);
    return this.floats(name, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value));
  }

  op(type: string, inputs: string[], attributes: Record<string, Attribute> = {}, outputName?: string): string {
    const output = outputName ?? this.fresh(type.toLowerCase());
    const attribute = Object.entries(attributes).map(([name, a]) => {
      if ('i' in a) return onnx.AttributeProto.create({ name, i: a.i, type: onnx.AttributeProto.AttributeType.INT });
      if ('f' in a) return onnx.AttributeProto.create({ name, f: a.f, type: onnx.AttributeProto.AttributeType.FLOAT });
      return onnx.AttributeProto.create({ name, ints: a.ints, type: onnx.AttributeProto.AttributeType.INTS });
    });
    this.nodes.push(onnx.NodeProto.create({ opType: type, input: inputs, output: [output], name: this.fresh(type), attribute }));
    return output;
  }

  /** Serialises the graph as an opset-17 model (LayerNormalization needs 17). */
  encode(graphName: string): Uint8Array {
    const valueInfo = (v: ValueInfo) =>
      onnx.ValueInfoProto.create({
        name: v.name,
        type: onnx.TypeProto.create({
          tensorType: onnx.TypeProto.Tensor.create({
            elemType: v.elemType,
            shape: onnx.TensorShapeProto.create({
              dim: v.shape.map((d) =>
                typeof d === 'number'
                  ? onnx.TensorShapeProto.Dimension.create({ dimValue: d })
                  : onnx.TensorShapeProto.Dimension.create({ dimParam: d }),
              ),
            }),
          }),
        }),
      });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'vidlens',
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 17 })],
      graph: onnx.GraphProto.create({
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      }),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
