import type { EnumMember, LabeledEnum, MemberSpec } from '../../src-shared/enums/labeled-enum';
import { createLogger } from '../util/log';

const log = createLogger('store');
const MAX_REMEMBERED_UNKNOWN = 100;

/**
 * Converts an enum to and from its text column (`*_str`): the lower-case name. Unknown text reads as the enum's
 * default and is logged once, so a value written by a newer version never breaks a read.
 */
export function enumColumn<S extends Record<string, MemberSpec>>(enumObject: LabeledEnum<S>) {
  const reported = new Set<string>();
  return {
    read(text: string | null): EnumMember<LabeledEnum<S>> {
      if (text !== null && enumObject.isName(text)) return enumObject.fromName(text) as EnumMember<LabeledEnum<S>>;
      if (!reported.has(String(text)) && reported.size < MAX_REMEMBERED_UNKNOWN) {
        reported.add(String(text));
        log.warn(`Unknown ${enumObject.enumName} '${text}' read as '${enumObject.default.value}'`);
      }
      return enumObject.default as EnumMember<LabeledEnum<S>>;
    },
    write(member: EnumMember<LabeledEnum<S>>): string {
      return String(member);
    },
  };
}
