import { useEffect, useState } from 'preact/hooks';
import type { RequestArg, RequestName, RequestResult } from '../../src-shared/ipc/contract';
import { useBridge } from '../bridge-context';
import { errorMessage } from './format';

export interface HubQuery<N extends RequestName> {
  data: RequestResult<N> | null;
  error: string | null;
  setData(data: RequestResult<N>): void;
  setError(error: string | null): void;
}

/** Asks the hub once per change of `refreshKey`; an answer that arrives after unmount is dropped. */
export function useHubQuery<N extends RequestName>(name: N, arg: RequestArg<N>, refreshKey: unknown): HubQuery<N> {
  const bridge = useBridge();
  const [data, setData] = useState<RequestResult<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const argKey = JSON.stringify(arg);
  useEffect(() => {
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
  }, [bridge, name, argKey, refreshKey]);
  return { data, error, setData, setError };
}
