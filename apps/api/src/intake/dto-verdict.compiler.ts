import { getMetadataStorage, type ValidationArguments, ValidationTypes } from 'class-validator';

/**
 * A yes/no check compiled once from a DTO's class-validator decorators, for the hot
 * path. It calls the very constraint functions the decorators registered, with their
 * constraints, so it accepts exactly what `validateSync` (with whitelist,
 * forbidNonWhitelisted and forbidUnknownValues) accepts; it skips what costs there
 * (looking up and grouping the metadata, building error objects) on every call. It
 * gives no reasons: a body it refuses goes through `validateSync` for the error list.
 * `dto-verdict.compiler.unit.spec.ts` holds the two to the same verdicts.
 */
export type Verdict = (data: Record<string, unknown>) => boolean;

type DtoClass = new () => object;

interface Check {
  readonly validate: (value: unknown, args: ValidationArguments) => boolean;
  readonly constraints: unknown[];
  readonly each: boolean;
  readonly property: string;
  readonly targetName: string;
}

interface PropertyPlan {
  readonly name: string;
  /** Conditions (`@IsOptional`, `@ValidateIf`): when one is false the property is not checked. */
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  readonly checks: readonly Check[];
  /** `@ValidateNested`: the class its elements are checked against. */
  readonly nested?: Verdict;
}

/**
 * @param nested the class of each `@ValidateNested` property (class-validator reads it
 *   from the instances; here there are none).
 */
export function compileVerdict(dto: DtoClass, nested: Readonly<Record<string, DtoClass>> = {}): Verdict {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', true, false, undefined);
  const byProperty = new Map<string, typeof metadatas>();
  for (const metadata of metadatas) {
    const list = byProperty.get(metadata.propertyName) ?? [];
    list.push(metadata);
    byProperty.set(metadata.propertyName, list);
  }
  const plans: PropertyPlan[] = [];
  for (const [name, list] of byProperty) {
    const conditions: ((object: object, value: unknown) => boolean)[] = [];
    const checks: Check[] = [];
    let nestedVerdict: Verdict | undefined;
    for (const metadata of list) {
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.CUSTOM_VALIDATION: {
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            if (constraint.async) throw new Error(`${dto.name}.${name}: async constraints cannot be compiled`);
            const instance = constraint.instance as { validate(value: unknown, args: ValidationArguments): boolean };
            checks.push({
              validate: (value, args) => instance.validate(value, args),
              constraints: metadata.constraints,
              each: metadata.each,
              property: name,
              targetName: dto.name,
            });
          }
          break;
        }
        case ValidationTypes.NESTED_VALIDATION: {
          const nestedClass = nested[name];
          if (nestedClass === undefined) throw new Error(`${dto.name}.${name}: @ValidateNested needs its class in the nested map`);
          nestedVerdict = compileVerdict(nestedClass);
          break;
        }
        case ValidationTypes.WHITELIST:
          break;
        default:
          // A decorator kind this compiler does not know must not be silently ignored.
          throw new Error(`${dto.name}.${name}: validation type ${metadata.type} cannot be compiled`);
      }
    }
    plans.push({ name, conditions, checks, ...(nestedVerdict === undefined ? {} : { nested: nestedVerdict }) });
  }
  const known = new Set(byProperty.keys());

  return (data) => {
    for (const key in data) {
      if (Object.prototype.hasOwnProperty.call(data, key) && !known.has(key)) return false;
    }
    for (const plan of plans) {
      const value = data[plan.name];
      let applies = true;
      for (const condition of plan.conditions) {
        if (!condition(data, value)) {
          applies = false;
          break;
        }
      }
      if (!applies) continue;
      for (const check of plan.checks) {
        const args: ValidationArguments = {
          targetName: check.targetName,
          property: check.property,
          object: data,
          value,
          constraints: check.constraints,
        };
        if (check.each && Array.isArray(value)) {
          for (const element of value) if (!check.validate(element, args)) return false;
        } else if (!check.validate(value, args)) {
          return false;
        }
      }
      if (plan.nested !== undefined && value !== undefined && !nestedHolds(plan.nested, value)) return false;
    }
    return true;
  };
}

/** class-validator's nested rule: an array's elements, or the value itself, must be objects that pass. */
function nestedHolds(verdict: Verdict, value: unknown): boolean {
  if (Array.isArray(value)) {
    for (const element of value) {
      // class-validator skips undefined elements; JSON arrays have none.
      if (element === undefined) continue;
      if (!isPlainObject(element) || !verdict(element)) return false;
    }
    return true;
  }
  return isPlainObject(value) && verdict(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
