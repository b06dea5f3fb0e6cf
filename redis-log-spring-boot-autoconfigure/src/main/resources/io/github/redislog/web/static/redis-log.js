/*
 * Redis Log live view: tails a log stream over Server-Sent Events into an xterm.js terminal.
 *
 * Mounted on every element with a data-redis-log attribute:
 *   data-base        URL of the live view's base path, with its trailing slash ("" when the page is served there)
 *   data-follow-url  "true" to take the stream and the filter from the page's query (?context=ID or ?global,
 *                    &level=WARN, &q=text or &q=/regex/, &highlight, &instance=POD), and to keep them there
 * The mounted element gets a redisLog property: watch({context: id} | {global: true} | {}) switches the stream,
 * filter({level, q, highlight, instance}) changes the filter, lines() returns the terminal's text and highlights() the
 * highlighted parts of it.
 *
 * The server filters by level and text; in highlight mode the text is not sent, so every line is kept and the
 * matches are marked. Once lines of a second instance arrive, each line names the instance it came from.
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
	var LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
	var LEVEL_NAMES = { WARNING: 'WARN', FATAL: 'ERROR', CRITICAL: 'ERROR', SEVERE: 'ERROR', NOTICE: 'INFO' };
	var SYSLOG_LEVELS = ['ERROR', 'ERROR', 'ERROR', 'ERROR', 'WARN', 'INFO', 'INFO', 'DEBUG'];
	var MARK = '\u001b[7m';
	var UNMARK = '\u001b[27m';
	var MAX_HELD = 5000;
	var MAX_SHOWN = 5000;
	// The starter's notes about records it dropped; its own records are never published, so only notes have it.
	var NOTE_LOGGER = 'io.github.redislog';
	var MARKER = '\u001b[95m';
	var FIRST_RETRY_MILLIS = 1000;
	var MAX_RETRY_MILLIS = 15000;

	// A logged escape sequence could move the cursor, clear the screen or set the title: show it as a symbol.
	// A line break becomes a visible one, so that a message cannot start what looks like another record.
	function printable(text) {
		return String(text).replace(/\r\n|\r|\n/g, '\u21b5').replace(/\t/g, '    ')
			.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, function (c) {
				var code = c.charCodeAt(0);
				return (code < 0x20) ? String.fromCharCode(0x2400 + code) : (code === 0x7f) ? '\u2421' : '\ufffd';
			});
	}

	// A payload's value by its dotted path, as a flat key ("log.level") or nested ({"log": {"level": ...}}).
	function value(payload, path) {
		if (Object.prototype.hasOwnProperty.call(payload, path)) {
			return payload[path];
		}
		return path.split('.').reduce(function (node, key) {
			return (node !== null && typeof node === 'object') ? node[key] : undefined;
		}, payload);
	}

	function text(payload, paths) {
		for (var i = 0; i < paths.length; i++) {
			var found = value(payload, paths[i]);
			if (typeof found === 'string') {
				return found;
			}
		}
		return null;
	}

	// What the view needs of a payload, whichever format wrote it: the starter's own, or Spring Boot's ECS,
	// Logstash or GELF (whose level is a syslog severity); null when it is no log record.
	function fields(payload) {
		if (payload === null || typeof payload !== 'object') {
			return null;
		}
		var message = text(payload, ['message', 'short_message']);
		var full = text(payload, ['full_message']);
		if (message === null && full === null) {
			return null;
		}
		var trace = text(payload, ['exception.stackTrace', 'error.stack_trace', 'stack_trace']);
		var level = text(payload, ['level', 'log.level', '_level_name']);
		if (level === null && typeof payload.level === 'number') {
			level = SYSLOG_LEVELS[payload.level] || null;
		}
		return {
			note: text(payload, ['logger', 'log.logger', 'logger_name', '_log_logger']) === NOTE_LOGGER,
			instance: text(payload, ['pod', 'host', 'host.name', 'service.node.name']),
			message: (message !== null) ? message : full,
			trace: (trace === null && full !== null && full !== message) ? full : (trace || ''),
			level: level && (LEVEL_NAMES[level.toUpperCase()] || level.toUpperCase())
		};
	}

	// The lines of one record: its message on one line, then its stack trace, if any, one line per frame. The
	// pattern may print the trace into the message too: it is then taken from there.
	function recordLines(record) {
		var message = record.message;
		var trace = record.trace;
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

	// Lost lines are told apart from logged text: a line of their own, between rules, that no record starts.
	function markerLine(text) {
		return MARKER + '\u2504\u2504 ' + printable(text) + ' \u2504\u2504' + RESET + '\r\n';
	}

	// Columns a character takes, counting any wide one as two: an early wrap is ours, a late one the terminal's.
	function columns(character) {
		return (character.codePointAt(0) >= 0x1100) ? 2 : 1;
	}

	// Cut a line into rows that fit the terminal, so that it never wraps a row by itself: the first row may take
	// firstWidth columns, the others width. Characters whose offset is set in marked are shown inverted.
	function rows(line, firstWidth, width, marked) {
		var result = [];
		var row = '';
		var used = 0;
		var offset = 0;
		var inverted = false;
		Array.from(line).forEach(function (character) {
			var wide = columns(character);
			if (used + wide > (result.length ? width : firstWidth) && row) {
				result.push(row + (inverted ? UNMARK : ''));
				row = inverted ? MARK : '';
				used = 0;
			}
			var mark = Boolean(marked && marked[offset]);
			if (mark !== inverted) {
				row += mark ? MARK : UNMARK;
				inverted = mark;
			}
			row += character;
			used += wide;
			offset += character.length;
		});
		result.push(row + (inverted ? UNMARK : ''));
		return result;
	}

	// The query as a pattern: text between slashes is a regular expression, anything else is found as it is.
	function pattern(query) {
		if (!query) {
			return null;
		}
		var regex = query.length > 2 && query.charAt(0) === '/' && query.charAt(query.length - 1) === '/';
		try {
			return new RegExp(regex ? query.slice(1, -1) : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
		}
		catch (ex) {
			return null;
		}
	}

	// The offsets of a line's characters that the pattern matches, or null when none does.
	function matches(line, search) {
		if (!search) {
			return null;
		}
		var marked = null;
		var match;
		search.lastIndex = 0;
		while ((match = search.exec(line)) !== null) {
			if (!match[0].length) {
				search.lastIndex++;
				continue;
			}
			marked = marked || [];
			for (var i = match.index; i < match.index + match[0].length; i++) {
				marked[i] = true;
			}
		}
		return marked;
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

	function filterFromUrl() {
		var query = new URLSearchParams(window.location.search);
		var level = (query.get('level') || '').toUpperCase();
		return {
			level: (LEVELS.indexOf(level) >= 0) ? level : '',
			q: query.get('q') || '',
			highlight: query.has('highlight'),
			instance: query.get('instance') || ''
		};
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
		var jobSelect = element('select');
		var contextInput = element('input');
		var watchButton = element('button', null, 'Watch');
		var filters = element('span', 'redis-log-filter');
		var levelSelect = element('select');
		var searchInput = element('input');
		var highlightLabel = element('label');
		var instanceSelect = element('select');
		var highlightBox = element('input');
		var pause = element('button', 'redis-log-pause', 'Pause');
		var fold = element('button', 'redis-log-fold', 'Fold traces');
		var downloads = element('span', 'redis-log-downloads', 'download ');
		var downloadText = element('a', null, 'text');
		var downloadJson = element('a', null, 'NDJSON');
		var user = element('span', 'redis-log-user');
		var screen = element('div', 'redis-log-terminal');
		var container = element('div', 'redis-log');
		watching.appendChild(targetLabel);
		global.hidden = true;
		contextInput.placeholder = 'job or context id';
		contextInput.setAttribute('aria-label', 'job or context id');
		jobSelect.setAttribute('aria-label', 'jobs');
		jobSelect.appendChild(new Option('jobs', ''));
		controls.append(mine, global, jobSelect, contextInput, watchButton);
		levelSelect.setAttribute('aria-label', 'minimum level');
		levelSelect.appendChild(new Option('all levels', ''));
		LEVELS.forEach(function (level) {
			levelSelect.appendChild(new Option(level + ' and above', level));
		});
		searchInput.type = 'search';
		searchInput.placeholder = 'search, or /regex/ (press /)';
		searchInput.setAttribute('aria-label', 'search');
		searchInput.maxLength = 200;
		highlightBox.type = 'checkbox';
		highlightLabel.append(highlightBox, ' highlight only');
		instanceSelect.setAttribute('aria-label', 'instance');
		instanceSelect.hidden = true;
		filters.append(levelSelect, searchInput, highlightLabel, instanceSelect);
		downloadText.setAttribute('download', '');
		downloadJson.setAttribute('download', '');
		downloads.append(downloadText, ' \u00b7 ', downloadJson);
		bar.append(element('span', 'redis-log-title', 'Redis Log'), watching, status, pause, fold, filters, downloads, controls, user);
		container.append(bar, screen);
		root.appendChild(container);

		var terminal = new window.Terminal({
			convertEol: true,
			disableStdin: true,
			cursorBlink: false,
			scrollback: 10000,
			fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
			fontSize: 13,
			// Bright black (trace lines, the gutter) lighter than xterm's default, for 4.5:1 contrast on the background.
			theme: { background: '#1e1e1e', foreground: '#d4d4d4', brightBlack: '#9a9a9a' }
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
		var paused = false;
		var held = [];
		var shown = [];
		var folded = false;
		var filter = followUrl ? filterFromUrl() : { level: '', q: '', highlight: false, instance: '' };
		var instances = [];
		var search = null;
		var source = null;
		var lastId = null;
		var retryTimer = null;
		var retryMillis = FIRST_RETRY_MILLIS;
		var generation = 0;

		// The stream's own path under "stream" or "download".
		function streamPath(kind) {
			if (target.global) {
				return base + kind + '/global';
			}
			return target.context ? base + kind + '/context/' + encodeURIComponent(target.context) : base + kind;
		}

		// In highlight mode the text stays here: the server sends every line of the level.
		function filterQuery() {
			var query = new URLSearchParams();
			if (filter.level) {
				query.set('level', filter.level);
			}
			if (filter.q && !filter.highlight) {
				query.set('q', filter.q);
			}
			if (filter.instance) {
				query.set('instance', filter.instance);
			}
			return query;
		}

		function streamUrl() {
			var query = filterQuery();
			if (lastId) {
				query.set('since', lastId);
			}
			var text = query.toString();
			return streamPath('stream') + (text ? '?' + text : '');
		}

		function downloadUrl(format) {
			var query = filterQuery();
			query.set('format', format);
			return streamPath('download') + '?' + query.toString();
		}

		function pageQuery() {
			var query = new URLSearchParams();
			if (target.global) {
				query.set('global', '');
			}
			else if (target.context) {
				query.set('context', target.context);
			}
			if (filter.level) {
				query.set('level', filter.level);
			}
			if (filter.q) {
				query.set('q', filter.q);
			}
			if (filter.highlight) {
				query.set('highlight', '');
			}
			if (filter.instance) {
				query.set('instance', filter.instance);
			}
			var text = query.toString().replace(/=(&|$)/g, '$1');
			return text ? '?' + text : '';
		}

		function setStatus(text, state) {
			status.textContent = text;
			status.setAttribute('data-state', state);
		}

		// What the view shows, kept so that folding the stack traces can show it again; as bounded as the scrollback.
		function show(item) {
			shown.push(item);
			if (shown.length > MAX_SHOWN) {
				shown.shift();
			}
			render(item);
		}

		function write(data) {
			show({ data: data });
		}

		function render(item) {
			if (item.marker !== undefined) {
				terminal.write(markerLine(item.marker));
				return;
			}
			var data = item.data;
			var payload = null;
			try {
				payload = JSON.parse(data);
			}
			catch (ex) {
				// Not ours: show it as it is.
			}
			var record = fields(payload);
			if (record && record.note) {
				terminal.write(markerLine(record.message));
				return;
			}
			var lines = record ? recordLines(record) : [printable(data)];
			if (folded && lines.length > 2) {
				lines = lines.slice(0, 2).concat(['\u2026 ' + (lines.length - 2) + ' more lines']);
			}
			if (record && record.instance) {
				seen(record.instance);
			}
			if (instances.length > 1) {
				lines[0] = '[' + printable((record && record.instance) || '?') + '] ' + lines[0];
			}
			var colour = (record && COLOURS[record.level]) || '';
			var width = Math.max(terminal.cols, GUTTER.length + 8);
			var text = '';
			lines.forEach(function (line, index) {
				var first = (index === 0) ? width : width - GUTTER.length;
				rows(line, first, width - GUTTER.length, matches(line, search)).forEach(function (row, part) {
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

		function marker(text) {
			show({ marker: text });
		}

		// A record's stack trace folded to its first line, or shown whole: everything shown is written again.
		function setFolded(next) {
			folded = next;
			fold.setAttribute('aria-pressed', String(folded));
			fold.textContent = folded ? 'Unfold traces' : 'Fold traces';
			terminal.reset();
			terminal.write('\u001b[?25l');
			shown.forEach(render);
		}

		function connect() {
			var current = ++generation;
			if (source) {
				source.close();
			}
			clearTimeout(retryTimer);
			source = new EventSource(streamUrl());
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
				if (paused) {
					hold(event.data);
				}
				else {
					write(event.data);
				}
			};
			// The stream no longer reaches back to the line this view last had: lines in between may be lost.
			source.addEventListener('gap', function () {
				if (current === generation) {
					marker('history trimmed or expired: lines before the next one may be missing');
				}
			});
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
			fetch(streamPath('stream'), { headers: { Accept: 'text/event-stream' }, redirect: 'manual', signal: abort.signal })
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
			restart();
		}

		function changeFilter(next) {
			filter = {
				level: next.level || '',
				q: next.q || '',
				highlight: Boolean(next.highlight),
				instance: next.instance || ''
			};
			restart();
		}

		// The instances that lines came from; the menu to pick one appears with the second.
		function seen(instance) {
			if (instance && instances.indexOf(instance) < 0) {
				instances.push(instance);
				instanceSelect.appendChild(new Option(instance, instance));
				instanceSelect.hidden = instances.length < 2 && !filter.instance;
			}
		}

		// Paused, lines wait here; past MAX_HELD the stream is closed, and following again reconnects after
		// the last line held: the stream id is the cursor, so nothing is lost either way.
		function hold(data) {
			held.push(data);
			if (held.length >= MAX_HELD && source) {
				generation++;
				source.close();
				source = null;
			}
			showPause();
		}

		function showPause() {
			pause.setAttribute('aria-pressed', String(paused));
			pause.textContent = !paused ? 'Pause' : held.length >= MAX_HELD ? 'Follow (' + MAX_HELD + '+ new lines)'
				: held.length ? 'Follow (' + held.length + ' new line' + (held.length === 1 ? ')' : 's)') : 'Follow';
		}

		function setPaused(next) {
			if (paused === next) {
				return;
			}
			paused = next;
			if (!paused) {
				var waiting = held;
				held = [];
				waiting.forEach(write);
				terminal.scrollToBottom();
				if (!source) {
					connect();
				}
			}
			showPause();
		}

		function restart() {
			lastId = null;
			held = [];
			paused = false;
			showPause();
			search = pattern(filter.q);
			levelSelect.value = filter.level;
			searchInput.value = filter.q;
			highlightBox.checked = filter.highlight;
			instances = [];
			instanceSelect.textContent = '';
			instanceSelect.appendChild(new Option('all instances', ''));
			seen(filter.instance);
			instanceSelect.value = filter.instance;
			downloadText.href = downloadUrl('text');
			downloadJson.href = downloadUrl('ndjson');
			retryMillis = FIRST_RETRY_MILLIS;
			targetLabel.textContent = describe(target, viewer);
			shown = [];
			terminal.reset();
			terminal.write('\u001b[?25l');
			if (followUrl) {
				window.history.replaceState(null, '', window.location.pathname + pageQuery());
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
		// The jobs the viewer may open, the one written last first; an admin's list has everyone's.
		function loadJobs() {
			fetch(base + 'jobs', { headers: { Accept: 'application/json' } })
				.then(function (response) {
					return response.ok ? response.json() : [];
				})
				.then(function (jobs) {
					jobSelect.textContent = '';
					jobSelect.appendChild(new Option((viewer && viewer.global ? 'jobs (' : 'my jobs (') + jobs.length + ')', ''));
					jobs.forEach(function (job) {
						jobSelect.appendChild(new Option(job.id + ' \u00b7 ' + Math.ceil(job.ttl / 60) + ' min left', job.id));
					});
				}, function () {
					// The menu stays as it was; the stream works without it.
				});
		}
		jobSelect.addEventListener('focus', loadJobs);
		jobSelect.addEventListener('change', function () {
			if (jobSelect.value) {
				watch({ context: jobSelect.value });
			}
		});
		function filterInput() {
			changeFilter({
				level: levelSelect.value,
				q: searchInput.value.trim(),
				highlight: highlightBox.checked,
				instance: instanceSelect.value
			});
		}
		pause.addEventListener('click', function () {
			setPaused(!paused);
		});
		fold.setAttribute('aria-pressed', 'false');
		fold.addEventListener('click', function () {
			setFolded(!folded);
		});
		// Scrolling up to read pauses; Follow jumps back to the end.
		screen.addEventListener('wheel', function (event) {
			if (event.deltaY < 0) {
				setPaused(true);
			}
		}, { passive: true });
		levelSelect.addEventListener('change', filterInput);
		instanceSelect.addEventListener('change', filterInput);
		highlightBox.addEventListener('change', filterInput);
		searchInput.addEventListener('keydown', function (event) {
			if (event.key === 'Enter') {
				filterInput();
			}
		});
		document.addEventListener('keydown', function (event) {
			// The terminal's own hidden textarea takes no typing: keys there are the page's.
			var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName)
				&& !event.target.classList.contains('xterm-helper-textarea');
			if (event.key === '/' && !typing) {
				event.preventDefault();
				searchInput.focus();
			}
			else if (event.key === ' ' && !typing && event.target.tagName !== 'BUTTON') {
				event.preventDefault();
				setPaused(!paused);
			}
		});
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
					loadJobs();
				}
			}, function () {
				// The toolbar stays generic; the stream works without it.
			});

		root.redisLog = {
			watch: watch,
			filter: changeFilter,
			highlights: function () {
				var buffer = terminal.buffer.active;
				var found = [];
				for (var i = 0; i < buffer.length; i++) {
					var line = buffer.getLine(i);
					var text = '';
					for (var x = 0; x < line.length; x++) {
						var cell = line.getCell(x);
						if (cell && cell.isInverse()) {
							text += cell.getChars();
						}
						else if (text) {
							found.push(text);
							text = '';
						}
					}
					if (text) {
						found.push(text);
					}
				}
				return found;
			},
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
