import { DependencyList, useEffect, useState } from 'react';

/** State of one request: loading, failed or loaded. */
export type RequestState<T> =
  | { loading: true; error?: undefined; value?: undefined }
  | { loading: false; error: Error; value?: undefined }
  | { loading: false; error?: undefined; value: T };

/**
 * Runs a request and runs it again when one of `deps` changes. A response
 * that arrives after the deps changed is dropped.
 */
export function useRequest<T>(
  request: () => Promise<T>,
  deps: DependencyList,
): RequestState<T> {
  const [state, setState] = useState<RequestState<T>>({ loading: true });

  useEffect(() => {
    let current = true;
    setState({ loading: true });

    request().then(
      value => {
        if (current) {
          setState({ loading: false, value });
        }
      },
      error => {
        if (current) {
          setState({ loading: false, error: toError(error) });
        }
      },
    );

    return () => {
      current = false;
    };
    // The caller lists the inputs of `request` in `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return state;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
