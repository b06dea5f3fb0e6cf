/*
 * Redis Log live view: tails a log stream over Server-Sent Events into an xterm.js terminal.
 *
 * Mounted on every element with a data-redis-log attribute:
 *   data-base        URL of the live view's base path, with its trailing slash ("" when the page is served there)
 *   data-follow-url  "true" to take the stream from the page's ?context=ID or ?global, and to keep it there
 * The mounted element gets a redisLog property: watch({context: id} | {global: true} | {}) switches the stream,
 * lines() returns the terminal's text.
 *
 * Log text is written to the terminal as text: control characters are shown, not obeyed, and nothing of it
 * becomes HTML. One record starts one line: line breaks inside its message are shown as a symbol, and only its
 * continuation (the stack trace, or a line too long for the terminal) takes more lines, each behind a gutter, so no
 * logged text can pass for a record of its own.
 */
(function () {
	'use strict';

	var COLOURS = {
		ERROR: '\u001b[91m',
		WARN: '\u001b[93m',
		INFO: '\u001b[97m',
		DEBUG: '\u001b[36m',
		TRACE: '\u001b[90m'
	};
	var RESET = '\u001b[0m';
	var DIM = '\u001b[90m';
	var GUTTER = '  \u2502 ';
	var LINE_BREAK = /\r\n|\r|\n/;
	var STATUS = {
		401: 'signed out: reload the page to sign in',
		403: 'not allowed',
		429: 'too many streams open: waiting'
	};
	var FIRST_RETRY_MILLIS = 1000;
	var MAX_RETRY_MILLIS = 15000;

	// A logged escape sequence could move the cursor, clear the screen or set the title: show it as a symbol.
	// A line break becomes a visible one, so that a message cannot start what looks like another record.
	function printable(text) {
		return String(text).replace(/\r\n|\r|\n/g, '\u21b5').replace(/\t/g, '    ')
			.replace(/[\u0000-\u001f\u007f-\u009f]/g, function (c) {
				var code = c.charCodeAt(0);
				return (code < 0x20) ? String.fromCharCode(0x2400 + code) : (code === 0x7f) ? '\u2421' : '\ufffd';
			});
	}

	// The lines of one record: its message on one line, then its stack trace, if any, one line per frame. The
	// pattern may print the trace into the message too: it is then taken from there.
	function recordLines(payload) {
		var message = String(payload.message);
		var exception = payload.exception;
		var trace = (exception && typeof exception.stackTrace === 'string') ? exception.stackTrace : '';
		var first = trace.split(LINE_BREAK)[0];
		var at = first ? message.indexOf(first) : -1;
		var head = ((at >= 0) ? message.substring(0, at) : message).replace(/[\r\n]+$/, '');
		var lines = [printable(head)];
		trace.split(LINE_BREAK).forEach(function (line) {
			if (line.trim()) {
				lines.push(printable(line));
			}
		});
		return lines;
	}

	// Columns a character takes, counting any wide one as two: an early wrap is ours, a late one the terminal's.
	function columns(character) {
		return (character.codePointAt(0) >= 0x1100) ? 2 : 1;
	}

	// Cut a line into rows that fit the terminal, so that it never wraps a row by itself: the first row may take
	// firstWidth columns, the others width.
	function rows(line, firstWidth, width) {
		var result = [];
		var row = '';
		var used = 0;
		Array.from(line).forEach(function (character) {
			var wide = columns(character);
			if (used + wide > (result.length ? width : firstWidth) && row) {
				result.push(row);
				row = '';
				used = 0;
			}
			row += character;
			used += wide;
		});
		result.push(row);
		return result;
	}

	// Stream entry ids, "{milliseconds}-{sequence}", in stream order.
	function compareIds(left, right) {
		var l = left.split('-');
		var r = right.split('-');
		return (Number(l[0]) - Number(r[0])) || (Number(l[1]) - Number(r[1]));
	}

	function element(tag, className, text) {
		var node = document.createElement(tag);
		if (className) {
			node.className = className;
		}
		if (text) {
			node.textContent = text;
		}
		return node;
	}

	function targetFromUrl() {
		var query = new URLSearchParams(window.location.search);
		if (query.get('context')) {
			return { context: query.get('context') };
		}
		return query.has('global') ? { global: true } : {};
	}

	function describe(target, viewer) {
		if (target.global) {
			return 'global';
		}
		if (target.context) {
			return target.context;
		}
		return (viewer && viewer.context) ? viewer.context : 'my log';
	}

	function mount(root) {
		var base = root.getAttribute('data-base') || '';
		var followUrl = root.getAttribute('data-follow-url') === 'true';

		var bar = element('div', 'redis-log-bar');
		var watching = element('span', 'redis-log-watching', 'watching ');
		var targetLabel = element('span', 'redis-log-target');
		var status = element('span', 'redis-log-status', 'connecting');
		var controls = element('span', 'redis-log-switch');
		var mine = element('button', null, 'My log');
		var global = element('button', null, 'Global');
		var contextInput = element('input');
		var watchButton = element('button', null, 'Watch');
		var user = element('span', 'redis-log-user');
		var screen = element('div', 'redis-log-terminal');
		var container = element('div', 'redis-log');
		watching.appendChild(targetLabel);
		global.hidden = true;
		contextInput.placeholder = 'job or context id';
		contextInput.setAttribute('aria-label', 'job or context id');
		controls.append(mine, global, contextInput, watchButton);
		bar.append(element('span', 'redis-log-title', 'Redis Log'), watching, status, controls, user);
		container.append(bar, screen);
		root.appendChild(container);

		var terminal = new window.Terminal({
			convertEol: true,
			disableStdin: true,
			cursorBlink: false,
			scrollback: 10000,
			fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
			fontSize: 13,
			theme: { background: '#1e1e1e', foreground: '#d4d4d4' }
		});
		var fit = new window.FitAddon.FitAddon();
		terminal.loadAddon(fit);
		terminal.open(screen);
		terminal.write('\u001b[?25l');
		fit.fit();
		window.addEventListener('resize', function () {
			fit.fit();
		});

		var viewer = null;
		var target = followUrl ? targetFromUrl() : {};
		var source = null;
		var lastId = null;
		var retryTimer = null;
		var retryMillis = FIRST_RETRY_MILLIS;
		var generation = 0;

		function streamUrl() {
			if (target.global) {
				return base + 'stream/global';
			}
			return target.context ? base + 'stream/context/' + encodeURIComponent(target.context) : base + 'stream';
		}

		function setStatus(text, state) {
			status.textContent = text;
			status.setAttribute('data-state', state);
		}

		function write(data) {
			var payload = null;
			try {
				payload = JSON.parse(data);
			}
			catch (ex) {
				// Not ours: show it as it is.
			}
			var lines = (payload === null || typeof payload !== 'object' || typeof payload.message !== 'string')
				? [printable(data)] : recordLines(payload);
			var colour = (payload && COLOURS[payload.level]) || '';
			var width = Math.max(terminal.cols, GUTTER.length + 8);
			var text = '';
			lines.forEach(function (line, index) {
				var first = (index === 0) ? width : width - GUTTER.length;
				rows(line, first, width - GUTTER.length).forEach(function (row, part) {
					if (index === 0 && part === 0) {
						text += colour + row + RESET + '\r\n';
					}
					else {
						text += DIM + GUTTER + RESET + ((index === 0) ? colour : '') + row + RESET + '\r\n';
					}
				});
			});
			terminal.write(text);
		}

		function connect() {
			var current = ++generation;
			if (source) {
				source.close();
			}
			clearTimeout(retryTimer);
			var url = streamUrl() + (lastId ? '?since=' + encodeURIComponent(lastId) : '');
			source = new EventSource(url);
			source.onopen = function () {
				retryMillis = FIRST_RETRY_MILLIS;
				setStatus('live', 'live');
			};
			source.onmessage = function (event) {
				// The browser resumes with Last-Event-ID; this only guards against seeing a line twice.
				if (event.lastEventId && lastId && compareIds(event.lastEventId, lastId) <= 0) {
					return;
				}
				if (event.lastEventId) {
					lastId = event.lastEventId;
				}
				write(event.data);
			};
			// The server ended the stream and says why: a viewer no longer allowed finds out what to do;
			// otherwise (a timeout, a restart) the browser reconnects and resumes by itself.
			source.addEventListener('end', function (event) {
				if (current === generation && event.data === 'unauthorized') {
					source.close();
					diagnose(current);
				}
				else if (current === generation) {
					setStatus('reconnecting', 'waiting');
				}
			});
			source.onerror = function () {
				if (current !== generation) {
					return;
				}
				if (source.readyState === EventSource.CLOSED) {
					// The browser gave up (an error status, a login page, a server going down): find out why.
					diagnose(current);
				}
				else {
					setStatus('reconnecting', 'waiting');
				}
			};
		}

		function diagnose(current) {
			setStatus('reconnecting', 'waiting');
			var abort = new AbortController();
			fetch(streamUrl(), { headers: { Accept: 'text/event-stream' }, redirect: 'manual', signal: abort.signal })
				.then(function (response) {
					abort.abort();
					return response.type === 'opaqueredirect' ? 401 : response.status;
				}, function () {
					return 0;
				})
				.then(function (code) {
					if (current !== generation) {
						return;
					}
					if (code === 404 || code === 400) {
						setStatus('no such stream', 'failed');
						return;
					}
					// 403 is also the answer for a job that has not logged yet: try again, ever more slowly.
					setStatus(STATUS[code] || 'reconnecting', (code === 401 || code === 403) ? 'failed' : 'waiting');
					retryTimer = setTimeout(function () {
						if (current === generation) {
							connect();
						}
					}, retryMillis);
					retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
				});
		}

		function watch(next) {
			target = next || {};
			lastId = null;
			retryMillis = FIRST_RETRY_MILLIS;
			targetLabel.textContent = describe(target, viewer);
			terminal.reset();
			terminal.write('\u001b[?25l');
			if (followUrl) {
				var query = target.global ? '?global' : target.context ? '?context=' + encodeURIComponent(target.context) : '';
				window.history.replaceState(null, '', window.location.pathname + query);
			}
			setStatus('connecting', 'waiting');
			connect();
		}

		mine.addEventListener('click', function () {
			watch({});
		});
		global.addEventListener('click', function () {
			watch({ global: true });
		});
		function watchInput() {
			var id = contextInput.value.trim();
			if (id) {
				watch({ context: id });
			}
		}
		watchButton.addEventListener('click', watchInput);
		contextInput.addEventListener('keydown', function (event) {
			if (event.key === 'Enter') {
				watchInput();
			}
		});

		fetch(base + 'viewer', { headers: { Accept: 'application/json' } })
			.then(function (response) {
				return response.ok ? response.json() : null;
			})
			.then(function (result) {
				viewer = result;
				if (viewer) {
					user.textContent = 'signed in as ' + viewer.name;
					global.hidden = !viewer.global;
					targetLabel.textContent = describe(target, viewer);
				}
			}, function () {
				// The toolbar stays generic; the stream works without it.
			});

		root.redisLog = {
			watch: watch,
			lines: function () {
				var buffer = terminal.buffer.active;
				var lines = [];
				for (var i = 0; i < buffer.length; i++) {
					lines.push(buffer.getLine(i).translateToString(true));
				}
				while (lines.length && lines[lines.length - 1] === '') {
					lines.pop();
				}
				return lines;
			}
		};
		watch(target);
	}

	function mountAll() {
		document.querySelectorAll('[data-redis-log]').forEach(mount);
	}

	window.RedisLog = { mount: mount };
	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', mountAll);
	}
	else {
		mountAll();
	}
})();
