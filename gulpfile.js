// Copies the SVG icons next to the compiled code. Runs after `tsc`, which does not copy assets:
// the credential and nodes reference their icons by a path relative to their own .js file.
const { src, dest, task } = require('gulp');

function copyIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

task('build:icons', copyIcons);
