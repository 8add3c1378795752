import type { INode } from 'n8n-workflow';

import type { AnswerProblem, ApiFailure, FailureContext, SentRequest } from './errors';
import { noteUncertainEffect, unexpectedAnswerError } from './errors';
import { isListAnswer } from './lists';

/**
 * An answer is checked before it is used: a 2xx that is not the JSON the operation expects (a web
 * page, a cut-off reply, JSON of another shape) is an error, never a string item or an empty list.
 */

/** The JSON a 2xx answer must be: an object, a list, or an object or `null` (the OTP long-poll's "no code"). */
export type AnswerShape = 'object' | 'list' | 'objectOrNull';

function isEmptyBody(body: unknown): boolean {
	return body === undefined || (typeof body === 'string' && body.trim() === '');
}

function looksLikeHtml(body: string, contentType: unknown): boolean {
	return /html|xml/i.test(String(contentType ?? '')) || body.trimStart().startsWith('<');
}

/** What is wrong with an answer below 400; undefined when it is what the operation expects. */
export function answerProblem(answer: ApiFailure, shape: AnswerShape): AnswerProblem | undefined {
	const { statusCode, body } = answer;
	// 202 Accepted and 204 No Content may come without a body; a list never does.
	if (isEmptyBody(body)) return shape !== 'list' && (statusCode === 202 || statusCode === 204) ? undefined : 'empty';
	if (typeof body === 'string') return looksLikeHtml(body, answer.headers?.['content-type']) ? 'html' : 'notJson';
	if (shape === 'list') return isListAnswer(body) ? undefined : 'notList';
	if (body === null) return shape === 'objectOrNull' ? undefined : 'notObject';
	return typeof body === 'object' && !Array.isArray(body) ? undefined : 'notObject';
}

/**
 * Throws the mapped error when an answer below 400 is not what the operation expects; with the
 * request that was sent, the error also says whether the action may have happened.
 */
export function checkAnswer(node: INode, answer: ApiFailure, shape: AnswerShape, context: FailureContext = {}, sent?: SentRequest): void {
	if (answer.statusCode >= 400) return;
	const problem = answerProblem(answer, shape);
	if (problem === undefined) return;
	const error = unexpectedAnswerError(node, answer, problem, context);
	throw sent ? noteUncertainEffect(error, sent) : error;
}
