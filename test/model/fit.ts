/**
 * What makes an operation's tool description fit for a model (see
 * nodes/AgentCall/shared/toolDescriptions.ts): used by the unit test over every operation and by
 * the real-n8n agent test on what the model actually received.
 */

/** Operations that reach a real person: their text must say so. */
export const REACHES_A_PERSON = new Set(['aiCall.start', 'call.make', 'call.hangUp', 'sms.send', 'sms.replyToConversation', 'schedule.create']);

export const MIN_LENGTH = 120;
export const MAX_LENGTH = 800;

/** Dollar amounts in a text, e.g. ["$0.015"]. */
export function dollarAmounts(text: string): string[] {
	return (text.match(/\$\d+(?:\.\d+)?/g) ?? []).sort();
}

/**
 * Why `text` (the model's text for `resource.operation`, without n8n's " in AgentCall") is not
 * fit for a model; empty when it is. `humanDescription` is the operation's description in the
 * node: every price it quotes must be in the model's text too.
 */
export function modelFitProblems(key: string, text: string | undefined, humanDescription = ''): string[] {
	if (text === undefined) return [`${key}: no tool description`];
	const problems: string[] = [];
	const problem = (why: string) => problems.push(`${key}: ${why}`);
	if (text.length < MIN_LENGTH) problem(`only ${text.length} characters (at least ${MIN_LENGTH})`);
	if (text.length > MAX_LENGTH) problem(`${text.length} characters (at most ${MAX_LENGTH})`);
	if (!/\bReturns\b/.test(text)) problem('does not say what it returns ("Returns ...")');
	if (!/\$\d/.test(text) && !/\bFree\b/.test(text)) problem('does not say what it costs (a $ price, or "Free")');
	const person = /\breal person\b/.test(text);
	const noOne = /\breaches no one\b/i.test(text);
	if (REACHES_A_PERSON.has(key) && !person) problem('reaches a real person but does not say so');
	if (!REACHES_A_PERSON.has(key) && !noOne) problem('does not say that it "reaches no one"');
	for (const amount of dollarAmounts(humanDescription)) {
		if (!text.includes(amount)) problem(`the node's description quotes ${amount}, the tool description does not`);
	}
	if (/[.;:,]$/.test(text.trim())) problem('ends with punctuation, but n8n appends " in AgentCall"');
	if (/\b(api key|credential|bearer)\b/i.test(text)) problem('mentions credentials');
	return problems;
}
