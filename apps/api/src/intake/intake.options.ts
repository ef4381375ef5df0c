import { DEFAULT_MAX_CLOCK_SKEW_MS } from '@newsroom/domain';

/** How the intake judges what is posted; every field has a default. */
export interface IntakeOptions {
  /** "Now", for world times ahead of the clock. Default: the system clock. */
  readonly clock?: () => Date;
  /** How far ahead of `clock` a world time may be (a tool's clock or zone set wrong). Default 24 hours. */
  readonly maxClockSkewMs?: number;
}

export const INTAKE_OPTIONS = Symbol('INTAKE_OPTIONS');

export interface IntakeSettings {
  readonly clock: () => Date;
  readonly maxClockSkewMs: number;
}

export function intakeSettings(options: IntakeOptions = {}): IntakeSettings {
  return { clock: options.clock ?? (() => new Date()), maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS };
}
