import type { ComponentType, FunctionComponent, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from './format';

/**
 * A component whose code loads when it first renders, for screens the first paint does not need (Preact's own
 * take on `lazy`, so that preact/compat stays out of the first load). Until it has loaded it renders `placeholder`;
 * a failed load says so in plain words with a retry.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, placeholder: () => JSX.Element | null = () => null): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const start = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));

  return function LazyComponent(props: P) {
    const [, setReady] = useState(loaded !== null);
    const [failure, setFailure] = useState<string | null>(null);
    useEffect(() => {
      if (loaded || failure !== null) return;
      let current = true;
      start().then(
        () => current && setReady(true),
        (error: unknown) => current && setFailure(errorMessage(error)),
      );
      return () => {
        current = false;
      };
    }, [failure]);
    if (loaded) {
      const Loaded = loaded;
      return <Loaded {...props} />;
    }
    if (failure === null) return placeholder();
    return (
      <div class="lazy-failure" role="alert" data-testid="lazy-failure">
        <p>This screen could not be loaded from the hub: {failure}</p>
        <button type="button" onClick={() => setFailure(null)}>
          Try again
        </button>
      </div>
    );
  };
}
