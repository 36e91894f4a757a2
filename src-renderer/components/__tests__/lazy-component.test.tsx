// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { lazyComponent } from '../lazy-component';

function Greeting({ name }: { name: string }) {
  return <p data-testid="greeting">Hello {name}</p>;
}

/** A loader the test resolves or fails by hand. */
function manualLoader() {
  const calls: Array<{ resolve(component: typeof Greeting): void; reject(error: Error): void }> = [];
  const load = () => new Promise<typeof Greeting>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, load };
}

async function settle() {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe('lazyComponent', () => {
  it('shows the placeholder, then the loaded component with its props, loading once for every later mount', async () => {
    const { calls, load } = manualLoader();
    const LazyGreeting = lazyComponent(load, () => <p data-testid="placeholder">…</p>);
    const root = document.createElement('div');
    await act(() => render(<LazyGreeting name="Ada" />, root));
    expect(root.textContent).toBe('…');
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(Greeting);
    await settle();
    expect(root.textContent).toBe('Hello Ada');

    // Unmounted and mounted again (a dialog closed and reopened): drawn at once with its new props.
    await act(() => render(null, root));
    await act(() => render(<LazyGreeting name="Grace" />, root));
    expect(root.textContent).toBe('Hello Grace');
    expect(calls).toHaveLength(1);
  });

  it('says in plain words when the code cannot be loaded, and tries again when asked', async () => {
    const { calls, load } = manualLoader();
    const LazyGreeting = lazyComponent(load);
    const root = document.createElement('div');
    await act(() => render(<LazyGreeting name="Ada" />, root));
    calls[0]!.reject(new Error('Failed to fetch dynamically imported module'));
    await settle();
    expect(root.querySelector('[data-testid="lazy-failure"]')?.textContent).toContain('could not be loaded from the hub: Failed to fetch');
    await act(() => root.querySelector('button')!.click());
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(Greeting);
    await settle();
    expect(root.textContent).toBe('Hello Ada');
  });
});
