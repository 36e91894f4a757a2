import { defineLabeledEnum, type EnumMember, type EnumValue } from './labeled-enum';

/** How large icons, names and values are drawn on the plan (the console's display_scale setting). */
export const DisplayScale = defineLabeledEnum(
  'DisplayScale',
  {
    AUTO: { label: 'Automatic', description: 'By the screen’s size: 100 % on a 1280×800 panel, larger on large screens.' },
    PERCENT_100: { label: '100 %', description: 'Icons at least 48 px and names at least 16 px on screen.' },
    PERCENT_125: { label: '125 %', description: 'A quarter larger than 100 %.' },
    PERCENT_150: { label: '150 %', description: 'Half again as large as 100 %.' },
    PERCENT_200: { label: '200 %', description: 'Twice as large as 100 %, for reading from across a large room.' },
  },
  { default: 'AUTO' },
);
export type DisplayScale = EnumMember<typeof DisplayScale>;

/** The factor of each fixed scale; AUTO is worked out from the screen by the panel. */
export const DISPLAY_SCALE_FACTOR: Readonly<Record<EnumValue<typeof DisplayScale>, number | null>> = {
  auto: null,
  percent_100: 1,
  percent_125: 1.25,
  percent_150: 1.5,
  percent_200: 2,
};
