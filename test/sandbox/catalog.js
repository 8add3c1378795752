// @ts-check
'use strict';

/** Static catalogues: enums, prices, voices, premium voices, prompt templates. */

const VOICES = ['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'marin', 'sage', 'shimmer', 'verse'];
const LANGUAGES = ['auto', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ja', 'ko', 'zh', 'hi', 'ar'];
const NUMBER_TYPES = ['local', 'tollfree', 'mobile', 'sim'];
const COUNTRIES = ['US', 'CA'];
const EVENTS = [
	'sms.inbound',
	'sms.otp',
	'sms.ai_reply',
	'call.inbound',
	'call.ringing',
	'call.status',
	'call.recording',
	'call.transcript',
	'call.report.ready',
	'transcript.partial',
	'number.released',
];

/** USD prices (§10, latest edition). */
const PRICES = {
	number: { local: 2, tollfree: 2.5, mobile: 2, sim: 8 },
	smsOut: 0.015,
	smsIn: 0.008,
	voiceOut: 0.035,
	voiceIn: 0.015,
	voiceAi: 0.4,
	recording: 0.01,
};

/** @type {Record<string, [string, string, string]>} id -> [trait, description, bestFor] */
const VOICE_INFO = {
	alloy: ['neutral', 'Balanced, even-toned voice', 'general purpose'],
	ash: ['calm', 'Steady and reassuring', 'customer support'],
	ballad: ['warm', 'Soft, expressive delivery', 'hospitality'],
	cedar: ['grounded', 'Natural, newest-generation voice', 'professional calls'],
	coral: ['upbeat', 'Bright and friendly', 'sales and lead qualification'],
	echo: ['clear', 'Crisp and articulate', 'announcements'],
	marin: ['natural', 'Conversational, newest-generation voice', 'long conversations'],
	sage: ['composed', 'Measured and precise', 'scheduling'],
	shimmer: ['friendly', 'Warm and clear (default)', 'receptionist'],
	verse: ['dynamic', 'Lively, varied intonation', 'call screening'],
};

/** @param {string} base */
function voices(base) {
	return {
		voices: VOICES.map((id) => {
			const [trait, description, bestFor] = VOICE_INFO[id];
			return { id, name: id[0].toUpperCase() + id.slice(1), trait, description, bestFor, sampleUrl: `${base}/samples/${id}.wav` };
		}),
		defaultVoice: 'shimmer',
	};
}

/** @param {string} base */
function premiumVoices(base) {
	const list = [
		['premium-aria', 'Aria', 'Expressive studio-quality voice', 'female', 'American'],
		['premium-noah', 'Noah', 'Deep, confident narrator', 'male', 'American'],
		['premium-isla', 'Isla', 'Light and warm', 'female', 'British'],
		['premium-liam', 'Liam', 'Relaxed and friendly', 'male', 'Australian'],
	];
	return {
		voices: list.map(([id, name, description, gender, accent]) => ({ id, name, description, gender, accent, sampleUrl: `${base}/samples/${id}.wav` })),
		pricing: { premiumVoice: '$0.59/minute' },
	};
}

/** @param {string} id @param {string} title @param {string} voice @param {string} first @param {string} prompt */
const tpl = (id, title, voice, first, prompt) => ({
	id,
	title,
	description: `${title} template`,
	recommendedVoice: voice,
	maxDurationSecs: 600,
	firstMessage: first,
	systemPrompt: prompt,
});

const TEMPLATES = {
	inbound: [
		tpl('receptionist', 'Receptionist', 'shimmer', 'Thanks for calling [BUSINESS_NAME], how can I help?', 'You are the receptionist for [BUSINESS_NAME]. Answer questions and take messages.'),
		tpl('lead-qualifier', 'Lead qualifier', 'coral', 'Hi, thanks for calling [BUSINESS_NAME]!', 'You qualify leads for [BUSINESS_NAME]: ask about budget, timeline and needs.'),
		tpl('appointment-booker', 'Appointment booker', 'sage', 'Hello, you have reached [BUSINESS_NAME] bookings.', 'You book appointments for [BUSINESS_NAME] during [OPENING_HOURS].'),
		tpl('customer-support', 'Customer support', 'ash', 'Hi, this is [BUSINESS_NAME] support.', 'You help customers of [BUSINESS_NAME] with their issues.'),
		tpl('call-screener', 'Call screener', 'verse', 'Hi, who is calling and what is it about?', 'You screen calls for [OWNER_NAME] and flag spam.'),
	],
	outbound: [
		tpl('outbound-appointment-booker', 'Outbound appointment booker', 'sage', 'Hi, this is [AGENT_NAME] from [BUSINESS_NAME].', 'You are calling to book an appointment for [SERVICE].'),
		tpl('outbound-info-request', 'Outbound info request', 'shimmer', 'Hi, I am calling from [BUSINESS_NAME].', 'You are calling to ask [QUESTION] and note the answer.'),
		tpl('outbound-callback-confirmation', 'Callback confirmation', 'coral', 'Hi, this is [BUSINESS_NAME] returning your call.', 'You are calling to confirm a callback about [TOPIC].'),
	],
};

/** @param {Record<string, string>} query */
function promptTemplates(query) {
	const direction = query.direction === 'outbound' ? 'outbound' : 'inbound';
	return { direction, templates: TEMPLATES[direction] };
}

module.exports = { VOICES, LANGUAGES, NUMBER_TYPES, COUNTRIES, EVENTS, PRICES, voices, premiumVoices, promptTemplates };
