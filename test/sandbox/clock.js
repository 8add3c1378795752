// @ts-check
'use strict';

const T = require('./transcripts');

/**
 * The call clock: initiated -> ringing (+clockRingingMs) -> in-progress (+clockInProgressMs) ->
 * completed (+clockCompletedMs, the simulated talk time), every delay × timeScale. Outcomes:
 *   busy / no_answer: ringing -> busy|no_answer at the answer moment;
 *   failed: initiated -> failed at the ringing moment (or ringing/in-progress -> failed next step).
 * The "driver" leg runs the timers; a same-account peer leg mirrors every status change.
 * `duration` is in simulated seconds.
 */

const TERMINAL = ['completed', 'busy', 'no_answer', 'failed'];
const RANK = { initiated: 0, ringing: 1, 'in-progress': 2 };

/** @param {any} core */
function createClock(core) {
	const cfg = () => core.config;
	const scaled = (/** @type {number} */ ms) => ms * cfg().timeScale;
	const isTerminal = (/** @type {string} */ s) => TERMINAL.includes(s);

	/** @param {any} call */
	function outcomeOf(call) {
		return call.outcome || core.state.toOutcomes.get(call.to) || { outcome: 'completed' };
	}

	/** Simulated talk time in ms (outcome override, else clockCompletedMs; capped by maxDurationSecs). @param {any} call */
	function talkMs(call) {
		const o = outcomeOf(call);
		const ms = o.durationSecs !== undefined ? o.durationSecs * 1000 : cfg().clockCompletedMs;
		return call.ai ? Math.min(ms, call.ai.maxDurationSecs * 1000) : ms;
	}

	/** @param {any} call @returns {{ status: string, delay: number } | null} */
	function nextStep(call) {
		const o = outcomeOf(call).outcome;
		switch (call.status) {
			case 'initiated':
				return { status: o === 'failed' ? 'failed' : 'ringing', delay: cfg().clockRingingMs };
			case 'ringing':
				return { status: o === 'completed' ? 'in-progress' : o, delay: cfg().clockInProgressMs };
			case 'in-progress':
				return { status: o === 'failed' ? 'failed' : 'completed', delay: talkMs(call) };
			default:
				return null;
		}
	}

	/** (Re)schedules the driver's next step from now. @param {any} call */
	function schedule(call) {
		core.scheduler.cancelTag(call.id);
		const step = nextStep(call);
		if (step) core.scheduler.after(scaled(step.delay), () => transition(call, step.status, 'clock'), call.id);
	}

	/**
	 * Moves the driver (and its peer) to `status`, passing through skipped intermediate states.
	 * @param {any} call driver leg
	 * @param {string} status
	 * @param {'clock'|'advance'|'hangup'} via
	 */
	function transition(call, status, via) {
		if (isTerminal(call.status)) return;
		core.scheduler.cancelTag(call.id);
		if (status === 'completed' && via !== 'hangup') {
			if (call.status === 'initiated') apply(call, 'ringing', via);
			if (call.status === 'ringing') apply(call, 'in-progress', via);
		}
		if ((status === 'busy' || status === 'no_answer' || status === 'in-progress') && call.status === 'initiated') {
			apply(call, 'ringing', via);
		}
		apply(call, status, via);
		if (!isTerminal(status)) schedule(call);
	}

	/** @param {any} call @param {string} status @param {string} via */
	function apply(call, status, via) {
		const legs = [call];
		const peer = call.peerCallId ? core.state.calls.get(call.peerCallId) : null;
		if (peer && !isTerminal(peer.status)) legs.push(peer);
		const now = Date.now();
		let duration = 0;
		if (isTerminal(status) && call.answeredMs) {
			const natural = via !== 'hangup' && status === 'completed';
			duration = natural ? Math.round(talkMs(call) / 1000) : Math.round((now - call.answeredMs) / cfg().timeScale / 1000);
			if (call.ai) duration = Math.min(duration, call.ai.maxDurationSecs);
		}
		for (const leg of legs) {
			leg.status = status;
			leg.updatedAt = new Date(now).toISOString();
			if (status === 'in-progress') {
				leg.answeredMs = now;
				leg.answeredAt = leg.updatedAt;
			}
			if (isTerminal(status)) finishLeg(leg, now, duration, via === 'hangup');
			emitStatus(leg, status);
			if (status === 'in-progress' && leg.ai && leg.ai.liveTranscript && leg.script) schedulePartials(leg);
			if (isTerminal(status)) afterEnd(leg);
		}
	}

	/** @param {any} leg @param {number} now @param {number} duration @param {boolean} early */
	function finishLeg(leg, now, duration, early) {
		core.scheduler.cancelTag(`${leg.id}:partial`);
		leg.endedMs = now;
		leg.endedAt = new Date(now).toISOString();
		leg.duration = duration;
		if (core.recording.hasRecording(leg)) leg.recordingUrl = core.recording.signedUrl(leg.id, cfg().recordingWebhookUrlTtlSecs).url;
		if (leg.script && leg.status === 'completed' && leg.answeredMs) buildTranscript(leg, now, early);
	}

	/** @param {any} leg @param {string} status */
	function emitStatus(leg, status) {
		const v = core.calls.view(leg);
		/** @type {Record<string, any>} */
		const data = { callId: leg.id, status: v.status, direction: leg.direction, from: leg.from, to: leg.to, numberId: leg.numberId, peerCallId: leg.peerCallId };
		if (isTerminal(status)) data.duration = leg.duration;
		if (leg.recordingUrl) data.recordingUrl = leg.recordingUrl;
		if (leg.metadata) data.metadata = leg.metadata;
		core.emit('call.status', data);
		if (status === 'ringing' && leg.direction === 'outbound') {
			core.emit('call.ringing', { callId: leg.id, from: leg.from, to: leg.to, direction: leg.direction });
		}
		if (status === 'ringing' && leg.direction === 'inbound') {
			core.emit('call.inbound', { callId: leg.id, from: leg.from, to: leg.to, numberId: leg.numberId, peerCallId: leg.peerCallId });
		}
	}

	/** transcript.partial events spread over the talk time, `sequence` 1..n. @param {any} leg */
	function schedulePartials(leg) {
		const n = leg.script.length;
		const span = scaled(talkMs(leg));
		for (let i = 0; i < n; i++) {
			core.scheduler.after(span * ((i + 0.5) / n), () => {
				const ts = new Date().toISOString();
				leg.live.push(ts);
				const line = leg.script[i];
				core.emit('transcript.partial', { callId: leg.id, sequence: i + 1, role: core.calls.role(line.role), text: line.text, timestamp: ts });
			}, `${leg.id}:partial`);
		}
	}

	/** @param {any} leg @param {number} now @param {boolean} early */
	function buildTranscript(leg, now, early) {
		const n = leg.script.length;
		let heard = n;
		if (early) {
			const fraction = (now - leg.answeredMs) / Math.max(1, scaled(talkMs(leg)));
			heard = Math.max(leg.live.length, Math.min(n, Math.ceil(n * fraction)), 1);
		}
		const span = Math.max(0, now - leg.answeredMs);
		leg.transcript = leg.script.slice(0, heard).map((/** @type {any} */ line, /** @type {number} */ i) => ({
			role: line.role,
			text: line.text,
			timestamp: leg.live[i] || new Date(leg.answeredMs + Math.floor((span * i) / heard)).toISOString(),
		}));
		leg.summary = T.summarize(leg.brief, heard, new Date(now));
	}

	/** Events after a leg ended: call.recording, call.transcript, then call.report.ready later. @param {any} leg */
	function afterEnd(leg) {
		const meta = leg.metadata ? { metadata: leg.metadata } : {};
		if (leg.recordingUrl) {
			core.emit('call.recording', { callId: leg.id, recordingUrl: leg.recordingUrl, duration: leg.duration, ...meta });
		}
		if (!leg.transcript) return;
		core.emit('call.transcript', {
			callId: leg.id,
			numberId: leg.numberId,
			duration: leg.duration,
			transcript: core.calls.transcriptEntries(leg),
			summary: leg.summary,
			...meta,
			...(leg.peerCallId ? { peerCallId: leg.peerCallId } : {}),
		});
		leg.reportPending = true;
		core.scheduler.after(scaled(cfg().reportDelayMs), () => {
			leg.report = T.report(leg.brief, leg.summary);
			leg.reportPending = false;
			leg.reportReady = true;
			core.emit('call.report.ready', { callId: leg.id, contactId: core.calls.contactId(leg.direction === 'outbound' ? leg.to : leg.from), report: leg.report, ...meta });
		}, `${leg.id}:report`);
	}

	return { schedule, transition, nextStep, isTerminal, RANK, TERMINAL };
}

module.exports = { createClock, TERMINAL, RANK };
