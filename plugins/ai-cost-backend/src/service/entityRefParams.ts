import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const REF_PART_PATTERN = /^[A-Za-z0-9._-]{1,253}$/;

/**
 * Reads the `kind`, `namespace` and `name` path parameters of an entity
 * route and returns the lower-case entity ref, as records store it.
 *
 * @param route - last path segment of the route, such as `cost`, for the
 *   example in the error message
 * @throws InputError naming the first invalid part
 */
export function readEntityRefParams(
  params: Record<string, string>,
  route: string,
): string {
  for (const part of ['kind', 'namespace', 'name']) {
    if (!REF_PART_PATTERN.test(params[part])) {
      throw new InputError(
        `Invalid ${part} ${JSON.stringify(
          params[part],
        )}; use letters, digits, ".", "_" or "-", as in /entities/component/default/support-assistant/${route}`,
      );
    }
  }
  return stringifyEntityRef({
    kind: params.kind,
    namespace: params.namespace,
    name: params.name,
  }).toLowerCase();
}
