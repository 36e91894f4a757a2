import type { LabeledEnumMember } from '../../src-shared/enums/labeled-enum';

interface EnumSelectProps<M extends LabeledEnumMember> {
  members: readonly M[];
  value: string;
  label: string;
  testId: string;
  onChange(member: M): void;
}

/** A select of an enum's members, labelled and described, that answers the chosen member. */
export function EnumSelect<M extends LabeledEnumMember>({ members, value, label, testId, onChange }: EnumSelectProps<M>) {
  return (
    <select
      aria-label={label}
      data-testid={testId}
      value={value}
      onChange={(e) => {
        const chosen = members.find((m) => m.value === e.currentTarget.value);
        if (chosen) onChange(chosen);
      }}
    >
      {members.map((m) => (
        <option key={m.value} value={m.value} title={m.description}>
          {m.label}
        </option>
      ))}
    </select>
  );
}
