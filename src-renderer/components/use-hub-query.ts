import { useEffect, useState } from 'preact/hooks';
import type { RequestArg, RequestName, RequestResult } from '../../src-shared/ipc/contract';
import { ConnectionState } from '../../src-shared/enums';
import { useBridge } from '../bridge-context';
import { useAppState } from '../store';
import { errorMessage } from './format';

export interface HubQuery<N extends RequestName> {
  data: RequestResult<N> | null;
  error: string | null;
  setData(data: RequestResult<N>): void;
  setError(error: string | null): void;
}

/**
 * Asks the hub once per change of `refreshKey`, and again whenever the connection comes back (a screen opened before
 * the hub answered, or across a reconnect); an answer that arrives after unmount is dropped.
 */
export function useHubQuery<N extends RequestName>(name: N, arg: RequestArg<N>, refreshKey: unknown): HubQuery<N> {
  const bridge = useBridge();
  const connected = useAppState((s) => s.connection === ConnectionState.CONNECTED.value);
  const [data, setData] = useState<RequestResult<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const argKey = JSON.stringify(arg);
  useEffect(() => {
    if (!connected) return;
    let current = true;
    bridge
      .invoke(name, JSON.parse(argKey) as RequestArg<N>)
      .then((result) => {
        if (!current) return;
        setData(result);
        setError(null);
      })
      .catch((e: unknown) => current && setError(errorMessage(e)));
    return () => {
      current = false;
    };
  }, [bridge, name, argKey, refreshKey, connected]);
  return { data, error, setData, setError };
}
