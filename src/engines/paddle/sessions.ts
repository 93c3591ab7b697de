/**
 * The three onnxruntime-node sessions (detector, angle classifier, recogniser), created once
 * per engine, and the one place their errors become InocrError INOCR007.
 *
 * onnxruntime-node runs a session synchronously on the calling (main) thread, its own
 * intra-op thread pool doing the parallel work: concurrent `run` calls in one process take
 * turns, so the threads given here are what one reading uses of the machine.
 */
import ort from 'onnxruntime-node';
import { InocrError } from '../../errors.ts';
import type { ModelPaths } from './models.ts';

export interface SessionThreads {
  /** Threads inside one operator (onnxruntime's intra-op pool). */
  readonly intraOp: number;
  /** Threads across independent operators (used only in parallel execution mode). */
  readonly interOp: number;
  /** Let idle intra-op threads spin waiting for work (onnxruntime's default) rather than sleep. */
  readonly spin: boolean;
}

export interface Output {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export class Model {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly name: string,
  ) {}

  static async open(name: string, file: string, threads: SessionThreads): Promise<Model> {
    try {
      const session = await ort.InferenceSession.create(file, {
        intraOpNumThreads: threads.intraOp,
        interOpNumThreads: threads.interOp,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // The memory pattern plans one block for a run's tensors by the input's shape and keeps
        // it; every page and line batch here has a shape of its own. Off: one engine's peak RSS
        // 549 → 411 MB over 60 reads of the samples, at the same speed (probe in the commit).
        enableMemPattern: false,
        // onnxruntime_session_options_config_keys.h: session.intra_op.allow_spinning.
        extra: { session: { intra_op: { allow_spinning: threads.spin ? '1' : '0' } } },
      });
      return new Model(session, name);
    } catch (err) {
      throw new InocrError('INOCR007', `The paddle ${name} model could not be loaded: ${(err as Error).message}`, { cause: err });
    }
  }

  /** One inference: float32 NCHW input → the model's first output. */
  async run(input: Float32Array, dims: readonly number[]): Promise<Output> {
    try {
      const feeds = { [this.session.inputNames[0]!]: new ort.Tensor('float32', input, dims) };
      const result = await this.session.run(feeds);
      const out = result[this.session.outputNames[0]!];
      if (!out || out.type !== 'float32') throw new Error('no float32 output');
      return { data: out.data as Float32Array, dims: out.dims };
    } catch (err) {
      throw new InocrError('INOCR007', `The paddle ${this.name} model failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async release(): Promise<void> {
    await this.session.release().catch(() => undefined);
  }
}

export interface PaddleModels {
  readonly det: Model;
  readonly cls: Model;
  readonly rec: Model;
}

export async function openModels(paths: ModelPaths, threads: SessionThreads): Promise<PaddleModels> {
  const opened = await Promise.allSettled([Model.open('detector', paths.det, threads), Model.open('classifier', paths.cls, threads), Model.open('recogniser', paths.rec, threads)]);
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.release() : undefined)));
    throw failed.reason;
  }
  const [det, cls, rec] = opened.map((o) => (o as PromiseFulfilledResult<Model>).value) as [Model, Model, Model];
  return { det, cls, rec };
}
