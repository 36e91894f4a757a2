/** Shipped text assets (starter floor plans), inlined by Vite in tests and by esbuild in the bundles. */
declare module '*.svg?raw' {
  const text: string;
  export default text;
}
