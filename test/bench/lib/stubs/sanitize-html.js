'use strict';
/**
 * Stand-in for sanitize-html, which n8n's Wait node pulls in (through its Form helpers) only to
 * render forms. Its htmlparser2 is an ES module that jest's require cannot load under Node 20;
 * the Wait node's "After Time Interval" path used here never calls it.
 */
function sanitizeHtml(html) {
	throw new Error('sanitize-html is stubbed in the bench: the Wait node form path is not benchmarked');
}
sanitizeHtml.defaults = { allowedTags: [], allowedAttributes: {} };
module.exports = sanitizeHtml;
module.exports.default = sanitizeHtml;
