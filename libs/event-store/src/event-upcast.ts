/**
 * The one place where old event shapes become current ones. Event type names never
 * change (STYLE 3); a new data shape adds an upcaster from the version before it.
 * Events are stamped with the latest version of their type when written.
 */
export interface Upcaster {
  readonly type: string;
  /** The version this upcaster reads; it produces `fromVersion + 1`. */
  readonly fromVersion: number;
  upcast(data: unknown): unknown;
}

export class Upcasters {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) {
      let versions = this.byType.get(upcaster.type);
      if (versions === undefined) {
        versions = new Map();
        this.byType.set(upcaster.type, versions);
      }
      if (versions.has(upcaster.fromVersion)) {
        throw new Error(`two upcasters for ${upcaster.type} v${upcaster.fromVersion}`);
      }
      versions.set(upcaster.fromVersion, upcaster);
    }
    for (const [type, versions] of this.byType) {
      for (let v = 1; v <= versions.size; v++) {
        if (!versions.has(v)) throw new Error(`upcasters for ${type} skip v${v}`);
      }
    }
  }

  /** The version new events of this type are written with. */
  currentVersion(type: string): number {
    return (this.byType.get(type)?.size ?? 0) + 1;
  }

  /** Brings data written at `version` (1 when unstamped) up to the current version. */
  upcast(type: string, data: unknown, version = 1): unknown {
    const versions = this.byType.get(type);
    if (versions === undefined) return data;
    let current = data;
    for (let v = version; v <= versions.size; v++) {
      const upcaster = versions.get(v);
      if (upcaster !== undefined) current = upcaster.upcast(current);
    }
    return current;
  }
}
