import { createHmac, timingSafeEqual } from 'crypto';

/**
 * The one signature verifier for AgentCall deliveries: `X-AgentCall-Signature: sha256=<hex>`, an
 * HMAC-SHA256 of the raw body bytes keyed with the secret's UTF-8 bytes. Always over the raw bytes:
 * re-serialising a parsed body does not reproduce what AgentCall signed.
 */
export function hasValidSignature(
	rawBody: Buffer | undefined,
	header: unknown,
	secret: string | undefined,
	options: { allowBareHex?: boolean } = {},
): boolean {
	if (!rawBody || !secret) return false;
	const value = (Array.isArray(header) ? header[0] : header ?? '').toString().trim();
	const pattern = options.allowBareHex ? /^(?:sha256=)?([0-9a-f]{64})$/i : /^sha256=([0-9a-f]{64})$/i;
	const match = pattern.exec(value);
	if (!match) return false;
	const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest();
	return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
}
