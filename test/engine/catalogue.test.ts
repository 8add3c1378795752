import type { INodeProperties } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { BUILT_IN_VOICES, templatesFromCatalogue, voicesFromCatalogue } from '../../nodes/AgentCall/shared/catalogue';

/**
 * Voices and prompt templates as the editor's dropdowns (`methods.loadOptions`), read from the
 * sandbox's public catalogue, with the built-in lists when it is unreachable or answers garbage.
 */

describe('AgentCall node: voice and prompt template catalogues', () => {
	const suite = useEngineSuite();

	describe('voices', () => {
		it('come from the catalogue, with its descriptions, as the IDs the node always used', async () => {
			const options = await suite.engine.loadOptions('getVoices', { resource: 'aiCall', operation: 'start' });
			expect(options.map((option) => option.value)).toEqual(BUILT_IN_VOICES.map((option) => option.value));
			expect(options.find((option) => option.value === 'coral')).toEqual({
				name: 'Coral',
				value: 'coral',
				description: 'Bright and friendly; best for sales and lead qualification',
			});
			expect(suite.sandbox.requestLog().map((entry) => entry.path)).toEqual(['/v1/calls/voices']);
		});

		it.each([
			['a server error', { status: 500 }],
			['a web page', { reply: 'html' as const }],
			['JSON of another shape', { reply: 'object' as const }],
			['a dropped connection', { reset: 'before' as const }],
		])('fall back to the built-in list on %s', async (_label, fault) => {
			suite.sandbox.addFault({ path: '/v1/calls/voices', ...fault });
			expect(await suite.engine.loadOptions('getVoices', { resource: 'phoneNumber', operation: 'update' })).toEqual(BUILT_IN_VOICES);
		});

		it('feed every voice parameter of the node, whose default stays Shimmer', () => {
			const { properties } = suite.engine.nodeTypes.getByNameAndVersion(NODE_TYPE.action, 1).description;
			const voices: INodeProperties[] = [];
			const walk = (list: INodeProperties[]) => {
				for (const property of list) {
					if (property.name === 'voice') voices.push(property);
					if (property.type === 'collection' && Array.isArray(property.options)) walk(property.options as INodeProperties[]);
				}
			};
			walk(properties as INodeProperties[]);
			// AI Call > Start, Update, Set Inbound AI, Set Outbound Defaults
			expect(voices).toHaveLength(4);
			for (const voice of voices) expect(voice).toMatchObject({ type: 'options', default: 'shimmer', typeOptions: { loadOptionsMethod: 'getVoices' } });
		});
	});

	describe('prompt templates', () => {
		it('are the outbound set for AI calls and outbound defaults, the inbound set for inbound AI', async () => {
			const outbound = await suite.engine.loadOptions('getPromptTemplates', { resource: 'aiCall', operation: 'start' });
			expect(outbound.map((option) => option.value)).toEqual(['outbound-callback-confirmation', 'outbound-appointment-booker', 'outbound-info-request']);
			expect(outbound[0]).toEqual({ name: 'Callback confirmation', value: 'outbound-callback-confirmation', description: 'Callback confirmation template' });
			const saved = await suite.engine.loadOptions('getPromptTemplates', { resource: 'phoneNumber', operation: 'setOutboundDefaults' });
			expect(saved).toEqual(outbound);
			const inbound = await suite.engine.loadOptions('getPromptTemplates', { resource: 'phoneNumber', operation: 'setInboundAi' });
			expect(inbound.map((option) => option.value).sort()).toEqual(['appointment-booker', 'call-screener', 'customer-support', 'lead-qualifier', 'receptionist']);
			expect(suite.sandbox.requestLog().map((entry) => entry.query)).toEqual([{ direction: 'outbound' }, { direction: 'outbound' }, { direction: 'inbound' }]);
		});

		it('fall back to the documented templates of the right direction when the catalogue fails', async () => {
			suite.sandbox.addFault({ path: '/v1/calls/prompt-templates', reply: 'truncated' });
			const inbound = await suite.engine.loadOptions('getPromptTemplates', { resource: 'phoneNumber', operation: 'setInboundAi' });
			expect(inbound.map((option) => option.value)).toContain('receptionist');
			suite.sandbox.addFault({ path: '/v1/calls/prompt-templates', status: 503 });
			const outbound = await suite.engine.loadOptions('getPromptTemplates', { resource: 'aiCall', operation: 'start' });
			expect(outbound.map((option) => option.value)).toEqual(['outbound-appointment-booker', 'outbound-callback-confirmation', 'outbound-info-request']);
		});
	});

	describe('answers of unknown shape (the template wrapper is undocumented)', () => {
		const entry = { id: 'receptionist', title: 'Receptionist', systemPrompt: 'You answer for [BUSINESS_NAME].', recommendedVoice: 'shimmer' };

		it.each([
			['a bare array', [entry]],
			['{ templates }', { direction: 'inbound', templates: [entry] }],
			['{ data }', { data: [entry] }],
			['{ inbound, outbound }', { inbound: [entry], outbound: [] }],
			['an object keyed by ID', { receptionist: { ...entry, id: undefined } }],
		])('reads templates from %s', (_label, body) => {
			expect(templatesFromCatalogue(body, 'inbound')).toEqual([
				expect.objectContaining({ id: 'receptionist', title: 'Receptionist', systemPrompt: 'You answer for [BUSINESS_NAME].', recommendedVoice: 'shimmer' }),
			]);
		});

		it('finds nothing in garbage, so the dropdowns fall back', () => {
			for (const garbage of [null, 'ok', { status: 'ok' }, { voices: 'many' }, [{ name: 'no id' }], { health: { ok: true } }]) {
				expect(voicesFromCatalogue(garbage)).toEqual([]);
				expect(templatesFromCatalogue(garbage, 'outbound')).toEqual([]);
			}
		});
	});
});
