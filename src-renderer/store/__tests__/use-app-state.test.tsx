// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { appStore, useAppState } from '../index';

let renders = 0;
function RevisionProbe() {
  renders += 1;
  const revision = useAppState((s) => s.homeRevision);
  return <span>{revision}</span>;
}

describe('useAppState', () => {
  afterEach(() => {
    renders = 0;
  });

  it('re-renders when its part changes and not when another part does, and stops listening when unmounted', async () => {
    const root = document.createElement('div');
    await act(() => render(<RevisionProbe />, root));
    const start = appStore.getState().homeRevision;
    expect(root.textContent).toBe(String(start));
    const rendersBefore = renders;

    await act(() => appStore.getState().homeChanged());
    expect(root.textContent).toBe(String(start + 1));
    await act(() => appStore.getState().select({ kind: 'entity', id: 5 }));
    expect(renders).toBe(rendersBefore + 1);

    await act(() => render(null, root));
    await act(() => appStore.getState().homeChanged());
    expect(renders).toBe(rendersBefore + 1);
  });

  it('catches a change made between its first render and its subscription', async () => {
    const root = document.createElement('div');
    const start = appStore.getState().homeRevision;
    // render() without act: effects (the subscription) have not run yet when the store changes.
    render(<RevisionProbe />, root);
    expect(root.textContent).toBe(String(start));
    appStore.getState().homeChanged();
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(root.textContent).toBe(String(start + 1));
    await act(() => render(null, root));
  });
});
