import { getMetadataStorage } from 'class-validator';

type Metadata = { target: unknown; name?: string };
interface Storage {
  getTargetValidationMetadatas(target: unknown, schema: string | undefined, always: boolean, strictGroups: boolean, groups?: string[]): Metadata[];
  groupByPropertyName(metadata: Metadata[]): Record<string, Metadata[]>;
  addValidationMetadata(metadata: Metadata): void;
}

const CACHED = Symbol('validation metadata cached');

/**
 * Rules that say what type a value must have. Decorators register bottom-up, so in
 * `@IsString() @MaxLength(32)` the length would be checked first and, with
 * stopAtFirstError, a number or a list would be refused as "longer than 32 characters".
 * These run first, so the error says what is really wrong.
 */
const TYPE_RULES: ReadonlySet<string> = new Set([
  'isString', 'isObject', 'isArray', 'isInt', 'isNumber', 'isBoolean', 'isWireText', 'isWireId', 'isWholeNumber',
]);
const typeRulesFirst = (list: Metadata[]): Metadata[] => {
  const first = list.filter((m) => m.name !== undefined && TYPE_RULES.has(m.name));
  return first.length === 0 ? list : [...first, ...list.filter((m) => !first.includes(m))];
};

/**
 * class-validator rebuilds a class's list of rules on every validation of every nested
 * object, scanning all registered classes for parents: a tenth of a start's CPU for a
 * list that never changes once the classes are defined. The lists (and their grouping by
 * property) are kept per class, schema name and option set, and dropped whenever a rule is
 * added. Validation with groups is passed through as it was. Each property's rules are
 * put in a fixed order on the way: type rules first (TYPE_RULES).
 */
export function cacheValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as Storage & { [CACHED]?: true };
  if (storage[CACHED]) return;
  storage[CACHED] = true;
  const compute = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let lists = new Map<unknown, Map<string, Metadata[]>>();
  let grouped = new WeakMap<Metadata[], Record<string, Metadata[]>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups !== undefined && groups.length > 0) return compute(target, schema, always, strictGroups, groups);
    // Nested objects are validated with their parent's class name as `schema`: part of the key.
    const key = `${always}:${strictGroups}:${schema ?? ''}`;
    let byOptions = lists.get(target);
    if (!byOptions) lists.set(target, (byOptions = new Map()));
    let list = byOptions.get(key);
    if (!list) byOptions.set(key, (list = compute(target, schema, always, strictGroups, groups)));
    return list;
  };
  storage.groupByPropertyName = (metadata) => {
    let result = grouped.get(metadata);
    if (!result) {
      result = group(metadata);
      for (const property of Object.keys(result)) result[property] = typeRulesFirst(result[property]);
      grouped.set(metadata, result);
    }
    return result;
  };
  storage.addValidationMetadata = (metadata) => {
    lists = new Map();
    grouped = new WeakMap();
    add(metadata);
  };
}
