import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import express from 'express';

/**
 * Reads the caller's user or service credentials and checks one
 * permission, on `resourceRef` for a resource permission. Throws
 * NotAllowedError with `message` when the policy denies it.
 */
export async function authorizeRequest(
  services: { httpAuth: HttpAuthService; permissions: PermissionsService },
  req: express.Request,
  check:
    | { permission: BasicPermission; message: string }
    | { permission: ResourcePermission; resourceRef: string; message: string },
): Promise<BackstageCredentials> {
  const credentials = await services.httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  const request =
    'resourceRef' in check
      ? { permission: check.permission, resourceRef: check.resourceRef }
      : { permission: check.permission };
  const [decision] = await services.permissions.authorize([request], {
    credentials,
  });

  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(check.message);
  }
  return credentials;
}

/** Names the caller for logs and the audit log: a user or service ref. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  return principal.subject ?? 'unknown';
}
