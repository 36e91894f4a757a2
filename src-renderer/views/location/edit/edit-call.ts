import { useCallback } from 'preact/hooks';
import type { RequestArg, RequestName, RequestResult } from '../../../../src-shared/ipc/contract';
import { useBridge } from '../../../bridge-context';
import { errorMessage } from '../../../components/format';
import { appStore } from '../../../store';

export type EditCall = <N extends RequestName>(name: N, arg: RequestArg<N>, onError?: (message: string) => void) => Promise<RequestResult<N> | null>;

/**
 * Runs an edit request. On success the plan is refetched at once (the hub's `home.changed` follows, and the loaders
 * apply only the newest answer); on failure the message goes to the edit banner (or `onError`) and the answer is
 * null, so the caller reverts what it showed optimistically.
 */
export function useEditCall(): EditCall {
  const bridge = useBridge();
  return useCallback<EditCall>(
    async (name, arg, onError = (message) => appStore.getState().showEditError(message)) => {
      try {
        const result = await bridge.invoke(name, arg);
        appStore.getState().homeChanged();
        return result;
      } catch (error) {
        onError(errorMessage(error));
        return null;
      }
    },
    [bridge],
  );
}
