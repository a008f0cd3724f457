/**
 * The plan for a run: the command line's options narrowed once into what the kernel, the reader
 * and the writer each need, with every default derived here and nowhere else.
 */
import { ActivError } from '../errors.js';
import type { OnInvalid, ReadPlan, Report, TablePlan, WritePlan } from '../io/table.js';
import type { Format } from '../io/table.js';
import type { Selection } from '../io/select.js';
import type { ActivationSpec, Kernel } from '../kernels/spec.js';
import type { Dtype } from '../numbers/dtype.js';
import type { KernelRecipe } from '../tensor.js';
import type { Digits } from '../numbers/format.js';

export interface KernelPlan {
  /** The activation's name, for messages. */
  readonly name: string;
  readonly kernel: Kernel;
  /** How worker threads bind the same kernel; without one the byte lane stays on one thread. */
  readonly recipe?: KernelRecipe;
}

export interface Plan extends TablePlan {
  readonly kernel: KernelPlan;
}

/** What the command line (or a caller) decided; undefined means "the default". */
export interface PlanChoices {
  readonly spec: ActivationSpec;
  readonly params: Readonly<Record<string, unknown>>;
  /** The kernel to run when it is not the activation itself (--grad: its derivative). */
  readonly kernel?: Kernel;
  /** The kernel is the derivative: worker threads bind the same. */
  readonly grad?: boolean;
  readonly from?: Format;
  readonly to?: Format;
  readonly header?: boolean;
  readonly delimiter?: string;
  readonly columns?: Selection;
  readonly onInvalid?: OnInvalid;
  readonly na?: ReadonlySet<string>;
  readonly precision?: Digits; // seam (shell, #14): significant digits or { decimals }
  /** --header-out never: no header line (CSV/TSV/text). Seam (shell, #14). */
  readonly headerOut?: 'auto' | 'never';
  /** Set only for a dtype narrower than float64 (the kernel is already wrapped). */
  readonly dtype?: Dtype;
  readonly nonfinite?: 'null' | 'string';
  /** A note for stderr (the caller prefixes 'activ: ' and honours --quiet). */
  readonly note: (message: string) => void;
}

export function makePlan(c: PlanChoices): Plan {
  const kernel: KernelPlan = {
    name: c.spec.name,
    kernel: c.kernel ?? c.spec.bind(c.params),
    recipe: { activation: c.spec.name, params: c.params, grad: c.grad || undefined },
  };
  const read: ReadPlan = {
    from: c.from,
    header: c.header,
    delimiter: c.delimiter,
    columns: c.columns,
    na: c.na,
    onInvalid: c.onInvalid ?? 'fail',
    // ACTIV_LANE=general turns the byte lanes off: for comparing the two lanes, and a way out
    lane: process.env.ACTIV_LANE === 'general' ? 'general' : 'auto',
  };
  const write: WritePlan = { to: c.to, precision: c.precision, dtype: c.dtype, nonfinite: c.nonfinite ?? 'null', headerOut: c.headerOut };
  const report: Report = { note: c.note, skipped: 0, nonfinite: 0 };
  return { kernel, read, write, report };
}

/** Down the columns every value of a column is needed: an invalid cell cannot be kept or nulled. */
export function checkColumnPlan(plan: Plan): void {
  const mode = plan.read.onInvalid;
  if (mode === 'keep' || mode === 'null') {
    throw new ActivError(`--on-invalid ${mode} cannot be used with --axis 0: every column needs all its values; use fail or skip`);
  }
}

/** The notes a run ends with. */
export function finalNotes(report: Report): void {
  if (report.skipped) report.note(`skipped ${report.skipped} row${report.skipped === 1 ? '' : 's'} with values that are not numbers`);
  if (report.nonfinite) {
    report.note(
      `wrote ${report.nonfinite} NaN/Infinity value${report.nonfinite === 1 ? '' : 's'} as null (JSON has no such numbers; --json-nonfinite string writes "NaN", "Infinity")`,
    );
  }
}
