// @ts-check
'use strict';

const { planLimit, paymentRequired } = require('./errors');
const { periodOf } = require('./state');

/**
 * Plan gates (§10): 'pro' (with card) allows everything; 'free' has caps (403 plan_limit_*,
 * with upgradeUrl); 'pro_no_card' refuses AI calls and recording with 402 payment_method_required
 * (with setupUrl).
 * @param {any} core
 */
function createPlans(core) {
	const plan = () => core.config.plan;
	const thisMonth = () => periodOf(Date.now());
	/** @param {string} code @param {string} msg */
	const limit = (code, msg) => planLimit(code, `${msg} Upgrade to Pro to lift this limit.`, core.config.upgradeUrl);
	const noCard = (/** @type {string} */ what) =>
		paymentRequired(`${what} needs a payment method on file. Add a card to continue.`, core.config.setupUrl);

	/** Outbound SMS sent this UTC month. */
	function smsSentThisMonth() {
		let n = 0;
		for (const m of core.state.messages.values()) if (m.direction === 'outbound' && periodOf(m.createdMs) === thisMonth()) n++;
		return n;
	}
	/** OTP codes extracted from inbound SMS this UTC month. */
	function otpExtractionsThisMonth() {
		let n = 0;
		for (const m of core.state.messages.values()) if (m.otp && periodOf(m.createdMs) === thisMonth()) n++;
		return n;
	}
	/** Billed plain-voice minutes this UTC month. */
	function voiceMinutesThisMonth() {
		let n = 0;
		for (const c of core.state.calls.values()) {
			if (c.mode === 'voice' && c.duration && periodOf(c.createdMs) === thisMonth()) n += Math.ceil(c.duration / 60);
		}
		return n;
	}

	return {
		/** @param {string} type */
		checkProvision(type) {
			if (plan() !== 'free') return;
			if (type === 'sim') throw limit('plan_limit_sim', 'SIM numbers are available on Pro only.');
			const active = [...core.state.numbers.values()].filter((n) => n.status === 'active').length;
			if (type !== 'local' || active >= 1) throw limit('plan_limit_numbers', 'The Free plan includes 1 local number.');
		},
		checkSmsSend() {
			if (plan() === 'free' && smsSentThisMonth() >= 10) throw limit('plan_limit_sms', 'The Free plan includes 10 SMS per month.');
		},
		/** Whether a code may still be extracted from an inbound SMS this month. */
		otpExtractionAllowed() {
			return plan() !== 'free' || otpExtractionsThisMonth() < 5;
		},
		checkOtpEndpoint() {
			if (plan() === 'free' && otpExtractionsThisMonth() >= 5) {
				throw limit('plan_limit_otp', 'The Free plan includes 5 OTP extractions per month.');
			}
		},
		checkVoice() {
			if (plan() === 'free' && voiceMinutesThisMonth() >= 5) {
				throw limit('plan_limit_voice_minutes', 'The Free plan includes 5 voice minutes per month.');
			}
		},
		checkRecording() {
			if (plan() === 'free') throw limit('plan_limit_recording', 'Call recording is available on Pro only.');
			if (plan() === 'pro_no_card') throw noCard('Call recording');
		},
		/** A Pro-only feature (saved agents, AI SMS, relay): Free gets 403 `code`. @param {string} code @param {string} what e.g. "SMS relay is" */
		checkProFeature(code, what) {
			if (plan() === 'free') throw limit(code, `${what} available on Pro only.`);
		},
		checkAiCall() {
			if (plan() === 'free') throw limit('plan_limit_voice_ai', 'Outbound AI voice calls are available on Pro only.');
			if (plan() === 'pro_no_card') throw noCard('Outbound AI voice');
		},
	};
}

module.exports = { createPlans };
