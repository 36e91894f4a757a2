import { z } from 'zod';
import type { EnumValue, LabeledEnumMember } from './labeled-enum';

const built = new WeakMap<object, z.ZodEnum>();

/**
 * Zod schema of an enum's wire form (its lower-case names), built once per enum. Apart from the enums themselves,
 * which the panel uses everywhere and never validates with: the panel's first load then runs no zod (see
 * vite.config.ts).
 */
export function enumSchema<E extends { readonly members: readonly LabeledEnumMember[] }>(labeledEnum: E): z.ZodEnum<{ [V in EnumValue<E> & string]: V }> {
  let schema = built.get(labeledEnum);
  if (!schema) {
    schema = z.enum(labeledEnum.members.map((member) => member.value) as [string, ...string[]]);
    built.set(labeledEnum, schema);
  }
  return schema as unknown as z.ZodEnum<{ [V in EnumValue<E> & string]: V }>;
}
