export interface MemberSpec {
  readonly label: string;
  readonly description: string;
}

export interface LabeledEnumMember<N extends string = string> {
  readonly name: N;
  /** The lower-case name: what is stored, sent over IPC and returned by `String(member)`. */
  readonly value: Lowercase<N>;
  readonly label: string;
  readonly description: string;
  toString(): Lowercase<N>;
}

type MemberOf<S> = LabeledEnumMember<keyof S & string>;

interface LabeledEnumOps<S extends Record<string, MemberSpec>> {
  readonly enumName: string;
  readonly members: readonly MemberOf<S>[];
  readonly default: MemberOf<S>;
  /** Case- and whitespace-insensitive lookup; throws on an unknown name. */
  fromName(name: string): MemberOf<S>;
  /** Like `fromName`, but answers the default for an unknown name. */
  fromNameSafe(name: string | null | undefined): MemberOf<S>;
  isName(name: string): boolean;
}

export type LabeledEnum<S extends Record<string, MemberSpec>> = { readonly [K in keyof S & string]: LabeledEnumMember<K> } &
  LabeledEnumOps<S>;

/** The member type of an enum object: `type SettingType = EnumMember<typeof SettingType>`. */
export type EnumMember<E> = E extends LabeledEnumOps<infer S> ? MemberOf<S> : never;
/** The wire form of an enum: its lower-case names. */
export type EnumValue<E> = EnumMember<E>['value'];

export class UnknownEnumNameError extends Error {
  constructor(enumName: string, name: string) {
    super(`'${name}' is not a ${enumName}`);
    this.name = 'UnknownEnumNameError';
  }
}

const normalise = (name: string): string => name.replace(/\s+/g, '').toLowerCase();

export function defineLabeledEnum<const S extends Record<string, MemberSpec>>(
  enumName: string,
  spec: S,
  options: { default: keyof S & string },
): LabeledEnum<S> {
  const members: MemberOf<S>[] = [];
  const byNormalisedName = new Map<string, MemberOf<S>>();
  /** Wire names as sent, looked up first: a plan asks this for every item on every render. */
  const byValue = new Map<string, MemberOf<S>>();
  const result: Record<string, unknown> = {};
  for (const [name, { label, description }] of Object.entries(spec)) {
    const value = name.toLowerCase();
    const member = Object.freeze({ name, value, label, description, toString: () => value }) as unknown as MemberOf<S>;
    members.push(member);
    byNormalisedName.set(normalise(name), member);
    byValue.set(value, member);
    result[name] = member;
  }
  const defaultMember = byNormalisedName.get(normalise(options.default));
  if (!defaultMember) throw new UnknownEnumNameError(enumName, options.default);
  const ops: LabeledEnumOps<S> = {
    enumName,
    members: Object.freeze(members),
    default: defaultMember,
    fromName(name) {
      const member = byValue.get(name) ?? byNormalisedName.get(normalise(name));
      if (!member) throw new UnknownEnumNameError(enumName, name);
      return member;
    },
    fromNameSafe(name) {
      return (name != null && (byValue.get(name) ?? byNormalisedName.get(normalise(name)))) || defaultMember;
    },
    isName(name) {
      return byValue.has(name) || byNormalisedName.has(normalise(name));
    },
  };
  return Object.freeze(Object.assign(result, ops)) as LabeledEnum<S>;
}
