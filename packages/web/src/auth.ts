import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from './api';
import { endpoints, type Me } from './endpoints';
import { notifyError } from './notify';
import { navigate } from './router';

/** The signed-in user, or null when there is no session. */
export function useMe() {
  return useQuery<Me | null>({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await endpoints.me();
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    meta: { silent: true },
  });
}

export function hasPermission(me: Me | null | undefined, permission: string): boolean {
  return !!me?.permissions.includes(permission);
}

/** Sign out: end the session on the server, forget every cached answer, go to the sign-in page. */
export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  return async () => {
    try {
      await endpoints.logout();
    } catch (error) {
      notifyError(error, 'Sign-out failed');
    }
    queryClient.clear();
    queryClient.setQueryData(['me'], null);
    navigate('/login');
  };
}

/** The e-signature accountability statement (21 CFR 11.10(j)): the same text for everyone, so cached for the session. */
export function useSignatureStatement(enabled = true) {
  return useQuery({ queryKey: ['signature-statement'], queryFn: endpoints.signatureStatement, staleTime: Number.POSITIVE_INFINITY, enabled, meta: { silent: true } });
}
