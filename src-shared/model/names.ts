/** The longest name of anything named in the home; a longer one is refused, never cut. In a module of its own: the panel needs it without the contract's schemas. */
export const NAME_MAX_LENGTH = 200;
