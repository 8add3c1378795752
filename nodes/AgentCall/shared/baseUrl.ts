/**
 * A base URL with or without a trailing slash yields the same request URLs. In a module of its own
 * because the credential uses it too, and loading the credential should not load the transport.
 */
export function trimBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '').trim().replace(/\/+$/, '');
}
