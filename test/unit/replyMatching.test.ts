import { askAgainText, DEFAULT_APPROVE_WORDS, DEFAULT_DECLINE_WORDS } from '../../nodes/AgentCall/resources/sms/sendAndWaitForReply';
import { matchApproval, normaliseAnswer } from '../../nodes/AgentCall/resources/sms/replyWebhook';

describe('Send and Wait for Reply: reading an approval answer', () => {
	const match = (answer: string) => matchApproval(answer, DEFAULT_APPROVE_WORDS, DEFAULT_DECLINE_WORDS);

	it.each([
		['YES', true],
		[' yes!! ', true],
		['Yes.', true],
		['y', true],
		['Yes please', true],
		['ok 👍', true],
		['Approved', true],
		['NO', false],
		['no, thanks.', false],
		['  Nope', undefined],
		['N', false],
		['declined!', false],
		['maybe', undefined],
		['not yes', undefined],
		['yesterday', undefined],
		['', undefined],
		['!!!', undefined],
	])('%j → %s', (answer, expected) => {
		expect(match(answer)).toBe(expected);
	});

	it('uses the configured words, multi-word ones too; a word in both lists decides nothing', () => {
		expect(matchApproval('Sí', 'si, sí', 'no')).toBe(true);
		expect(matchApproval('go ahead now', 'go ahead', 'stop it')).toBe(true);
		expect(matchApproval('Stop it!', 'go ahead', 'stop it')).toBe(false);
		expect(matchApproval('ok', 'ok', 'ok')).toBeUndefined();
	});

	it('normalises case, accents, punctuation and spaces', () => {
		expect(normaliseAnswer('  Oui,   MERCI!! ')).toBe('oui merci');
		expect(normaliseAnswer('Sí')).toBe(normaliseAnswer('si'));
	});

	it('asks again with the first words, or the custom text', () => {
		expect(askAgainText({}, DEFAULT_APPROVE_WORDS, DEFAULT_DECLINE_WORDS)).toBe('Please reply YES or NO.');
		expect(askAgainText({}, ' Oui, O', 'Non')).toBe('Please reply Oui or Non.');
		expect(askAgainText({ askAgainText: ' Answer Y or N please ' }, 'Y', 'N')).toBe('Answer Y or N please');
	});
});
